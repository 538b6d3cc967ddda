package io.splitbot.worker.storage;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.ConversationState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Child process of JsonStoreTest: writes forever and prints "ack N" after each acknowledged counter write. */
public final class JsonStoreWriterMain {
  private JsonStoreWriterMain() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    JsonStorage s = new JsonStorage(vertx, Path.of(args[0]), false);
    s.start().await();
    while (true) {
      long n = new DeskStorage(s).counters().nextCounter("250927").await();
      s.conversations().put(new ConversationState("k", "step", new JsonObject().put("n", n).encode(), null)).await();
      System.out.println("ack " + n);
      System.out.flush();
    }
  }
}
