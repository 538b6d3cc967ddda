package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGKILL of the worker process (edge and worker as two processes, the json store in the worker's DATA_DIR) in the
 * middle of a /new conversation: the restarted worker continues at the same step with the answers given before,
 * and nobody is asked anything twice.
 */
@ExtendWith(VertxExtension.class)
class WorkerRestartTest {

  @Test
  void aConversationContinuesAtTheSameStepAfterTheWorkerIsKilled(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("desk-restart");
    ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);
    env.worker().put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    int workerPort = Integer.parseInt(env.worker().get("WORKER_PORT"));
    DeskHarness desk = DeskHarness.external(fake, env.edgePort(), workerPort);
    TestChat anna = desk.user(601, "Анна", "Смирнова", "ru");

    try (JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), env.edge(), dir)) {
      JvmProcess worker = JvmProcess.start("worker", JvmProcess.workerJar(), env.worker(), dir);
      edge.awaitHttp(env.edgeReadyUrl(), 200, Duration.ofSeconds(90));

      anna.send("/new");
      anna.send("Не работает розетка");
      anna.send("Розетка в коридоре искрит и не работает");
      anna.send("ул. Садовая, д. 5");
      assertTrue(anna.lastMessage().text().contains("Шаг 4 из 8. Номер квартиры."), anna.lastMessage().text());

      worker.kill();
      System.out.println("[restart] worker killed at step 4 of 8");
      // the answer arrives while the worker is dead: the edge keeps it in its spool
      desk.tester().awaitHandling(false);
      anna.send("17");
      desk.tester().awaitHandling(true);

      try (JvmProcess restarted = JvmProcess.start("worker-restarted", JvmProcess.workerJar(), env.worker(), dir)) {
        // the restarted worker handles the answer the edge kept: its first update
        desk.tester().awaitHandled(1, Duration.ofSeconds(90));
        assertTrue(anna.lastMessage().text().contains("Шаг 5 из 8. Выберите категорию."), anna.lastMessage().text());
        worker.close();

        anna.pressData("new:cat:electrical");
        anna.pressData("new:pri:emergency");
        anna.send("+998 90 765 43 21");
        anna.pressData("new:name");
        String summary = anna.lastMessage().text();
        assertTrue(summary.contains("Название: Не работает розетка"), summary);
        assertTrue(summary.contains("Адрес: ул. Садовая, д. 5"), summary);
        assertTrue(summary.contains("Квартира: 17"), summary);
        anna.pressData("new:ok:1");
        String created = anna.lastMessage().text();
        assertTrue(created.startsWith("Заявка ") && created.contains(" создана"), created);
        String number = created.substring("Заявка ".length(), created.indexOf(" создана"));

        JsonObject request = new ApiClient(workerPort).get("/api/v1/bot/requests/" + number).json().getJsonObject("request");
        assertEquals("Не работает розетка", request.getString("title"));
        assertEquals("Розетка в коридоре искрит и не работает", request.getString("description"));
        assertEquals("ул. Садовая, д. 5", request.getString("address"));
        assertEquals("17", request.getString("apartment"));
        assertEquals("electrical", request.getString("category"));
        assertEquals("emergency", request.getString("priority"));
        assertEquals(true, request.getBoolean("is_emergency"));
        assertEquals("+998907654321", request.getString("phone"));
        assertEquals("Анна Смирнова", request.getString("contact_name"));
        assertEquals("601", request.getString("user_id"));

        // every question was asked once: nothing repeated by the restart
        List<String> texts = anna.replies().stream().filter(r -> !r.edited()).map(BotMessage::text).toList();
        for (int step = 1; step <= 8; step++) {
          String marker = "Шаг " + step + " из 8";
          assertEquals(1, texts.stream().filter(t -> t.contains(marker)).count(), marker + " in " + texts);
        }
      }
    }
  }
}
