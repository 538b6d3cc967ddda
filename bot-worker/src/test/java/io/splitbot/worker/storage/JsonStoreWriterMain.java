package io.splitbot.worker.storage;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Child process of JsonStoreTest: writes forever, a counter (counters.json) and then a key-value entry (kv.json), and
 * prints "ack N" once both are acknowledged.
 */
public final class JsonStoreWriterMain {
  private JsonStoreWriterMain() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    JsonStorage s = new JsonStorage(vertx, Path.of(args[0]), false);
    s.start().await();
    while (true) {
      long n = new DeskStorage(s).counters().nextCounter("250927").await();
      s.keyValue("writer").put("k", new JsonObject().put("n", n)).await();
      System.out.println("ack " + n);
      System.out.flush();
    }
  }
}
