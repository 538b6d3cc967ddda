package io.splitbot.tests.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.cluster.NodeId;
import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.desk.DeskModule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /metrics on the edge and on the worker, with Vert.x built the way the jars build it (VertxFactory): Prometheus
 * text with HTTP, event bus, spool depth, handler latency histograms, Bot API calls by method and result, and 429s.
 */
@ExtendWith(VertxExtension.class)
class MetricsScrapeTest {

  @Test
  void aScrapeOfEitherServiceHasTheNamedSeries(Vertx testVertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(testVertx, TestEnv.TOKEN);
    fake.start().await();
    WorkerConfig config = WorkerConfig.fromEnv(TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("metrics")));
    Vertx vertx = VertxFactory.create(config.core()).await();
    try {
      SplitbotApp app = SplitbotApp.deploy(vertx, config, new DeskModule()).await();
      fake.injectRateLimit("sendMessage", 2, 1);
      List<JsonObject> updates = Updates.echoes(90_000, 20, 4, 9_100_000);
      WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET).deliverAll(updates, Duration.ofSeconds(30));
      fake.awaitCalls("sendMessage", 20, Duration.ofSeconds(30));
      Thread.sleep(300);

      Http.Answer edge = Http.get(app.edge().actualPort(), "/metrics");
      Http.Answer worker = Http.get(app.worker().httpPort(), "/metrics");
      assertEquals(200, edge.status());
      assertEquals(200, worker.status());
      String text = worker.body();
      // Every series carries the process's node id as its instance label.
      String i = "instance=\"" + NodeId.of(vertx) + "\"";
      System.out.println("[metrics] worker scrape: " + text.length() + " chars, " + text.lines().count() + " lines");

      // Vert.x's own: HTTP server requests (the webhook route), the event bus, the JVM.
      assertSeries(text, "vertx_http_server_requests_total\\{[^}]*route=\"/webhook/telegram\"[^}]*\\} ([0-9.E]+)", 20);
      assertTrue(Pattern.compile("vertx_http_server_response_time_seconds_bucket\\{[^}]*code=\"200\"[^}]*route=\"/webhook/telegram\"[^}]*le=")
          .matcher(text).find(), "the webhook's time to acknowledge, as a histogram (the ops console's ack percentiles)");
      assertSeries(text, "vertx_eventbus_processed_total\\{address=\"splitbot.worker.updates\"," + i + ",side=\"local\"\\} ([0-9.E]+)", 20);
      assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");
      // The services' own.
      assertSeries(text, "splitbot_spool_depth\\{" + i + "\\} ([0-9.E]+)", 0);
      assertSeries(text, "splitbot_edge_updates_total\\{" + i + ",outcome=\"acked\"\\} ([0-9.E]+)", 20);
      assertSeries(text, "splitbot_worker_updates_total\\{" + i + ",outcome=\"handled\"\\} ([0-9.E]+)", 20);
      assertSeries(text, "splitbot_handler_duration_seconds_count\\{" + i + ",outcome=\"ok\"\\} ([0-9.E]+)", 20);
      assertTrue(text.contains("splitbot_handler_duration_seconds_bucket{" + i + ",outcome=\"ok\",le="), "handler latency histogram buckets");
      assertSeries(text, "splitbot_botapi_calls_total\\{" + i + ",method=\"sendMessage\",result=\"ok\"\\} ([0-9.E]+)", 20);
      assertSeries(text, "splitbot_botapi_calls_total\\{" + i + ",method=\"sendMessage\",result=\"rate_limited\"\\} ([0-9.E]+)", 2);
      assertSeries(text, "splitbot_botapi_rate_limited_total\\{" + i + ",method=\"sendMessage\"\\} ([0-9.E]+)", 2);
      // One JVM, one registry: the edge's /metrics shows the same series.
      assertTrue(edge.body().contains("splitbot_spool_depth") && edge.body().contains("splitbot_botapi_calls_total"));
      assertTrue(!text.contains(TestEnv.TOKEN_SECRET_PART), "the token appeared in the metrics");
    } finally {
      vertx.close().await();
    }
  }

  /** The series matching {@code regex} exists and its value is {@code expected}. */
  static void assertSeries(String text, String regex, double expected) {
    Matcher m = Pattern.compile("(?m)^" + regex + "$").matcher(text);
    String family = regex.substring(0, regex.indexOf('\\') > 0 ? regex.indexOf('\\') : regex.indexOf(' '));
    assertTrue(m.find(), "no series " + regex + " in:\n" + String.join("\n", text.lines().filter(l -> l.startsWith(family)).toList()));
    assertEquals(expected, Double.parseDouble(m.group(1)), regex);
  }
}
