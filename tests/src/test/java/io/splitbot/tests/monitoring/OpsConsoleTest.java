package io.splitbot.tests.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.Browser;
import io.splitbot.tests.support.ConsoleSeries;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.OutsideAddress;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The ops console on the worker's port ({@code /console}), with the bot running as in production (edge and worker in
 * one JVM, webhook mode, Vert.x built with its metrics): an operator replays and drops dead letters from a real
 * browser, the charts' data endpoint has every series, and the data and actions need MONITORING_TOKEN (or loopback).
 */
@ExtendWith(VertxExtension.class)
class OpsConsoleTest {
  private static final String TOKEN = "console-token-0123456789abcdef";
  private static final List<String> SERIES = List.of("acked_per_second", "handled_per_second", "ack_p50_ms", "ack_p99_ms",
      "handler_p50_ms", "handler_p99_ms", "spool_depth");

  private final List<Vertx> apps = new ArrayList<>();

  @AfterEach
  void close() {
    apps.forEach(v -> v.close().await());
  }

  /** A running bot: the fake Bot API it calls, the app, the worker's port. */
  private record Running(FakeTelegramApi fake, SplitbotApp app, int worker) {
  }

  /**
   * The bot against a fresh fake Bot API, deployed as bot-worker.jar deploys it, in a Vert.x of its own built as the
   * launcher builds it (with its metrics); {@code settings} are added to the test environment.
   */
  private Running start(Vertx vertx, FlakyModule module, Map<String, String> settings) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("console").resolve("data"));
    env.putAll(settings);
    WorkerConfig config = WorkerConfig.fromEnv(env);
    Vertx bot = VertxFactory.create(config.core()).await();
    apps.add(bot);
    return new Running(fake, SplitbotApp.deploy(bot, config, module).await(), Integer.parseInt(env.get("WORKER_PORT")));
  }

  @Test
  void aDeadLetterIsReplayedOnceFixedAndAnotherDroppedFromTheBrowser(Vertx vertx) throws Exception {
    FlakyModule module = new FlakyModule();
    Running bot = start(vertx, module, Map.of("MAX_HANDLER_ATTEMPTS", "2", "MONITORING_TOKEN", TOKEN));
    FakeTelegramApi fake = bot.fake();
    SplitbotApp app = bot.app();
    int worker = bot.worker();

    WebhookDeliverer telegram = WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
    // A few intervals of traffic, each in a point of its own, so the charts have lines to show.
    for (int wave = 0; wave < 3; wave++) {
      int before = points(worker);
      telegram.deliverAll(Updates.echoes(100 + wave * 20L, 20, 4, 800), Duration.ofSeconds(20));
      Poll.until(() -> points(worker) > before, Duration.ofSeconds(20), () -> "no new point in the series");
    }
    telegram.deliverAll(List.of(Updates.message(1, 700, "/flaky"), Updates.message(2, 701, "/flaky")), Duration.ofSeconds(20));
    Poll.until(() -> app.worker().stats().deadLettered.get() == 2, Duration.ofSeconds(30),
        () -> "both /flaky updates dead-lettered: " + app.worker().stats().toJson());

    try (Browser browser = Browser.open()) {
      browser.get("http://127.0.0.1:" + worker + "/console");
      // The page holds no data: it asks for the token and sends it with each call.
      browser.await(By.id("token")).sendKeys(TOKEN);
      browser.await(By.cssSelector("#token-form button[type=submit]")).click();

      for (String update : List.of("1", "2")) {
        String row = browser.until(d -> rowText(d.findElements(row(update))));
        assertTrue(row.contains(FlakyModule.ERROR), "the row shows the error: " + row);
        assertTrue(row.contains("worker"), row);
      }
      // A chart with a line drawn (a point every 5 s) before the screenshot.
      browser.await(By.cssSelector("#chart-throughput svg path.line"));
      browser.screenshot("console");

      module.fix();
      click(browser, By.cssSelector("button[aria-label='Replay update 1']"));
      fake.await(() -> texts(fake).contains("fixed"), Duration.ofSeconds(30), () -> "no reply to the replayed update");
      browser.until(d -> d.findElements(row("1")).isEmpty());
      assertTrue(browser.await(By.id("letters-message")).getText().contains("handled"));

      click(browser, By.cssSelector("button[aria-label='Drop update 2']"));
      click(browser, By.cssSelector("button[aria-label='Confirm: drop update 2 for good']"));
      browser.until(d -> d.findElements(row("2")).isEmpty());
      browser.until(d -> d.findElements(By.cssSelector("#dead-letters tr.empty")).isEmpty() ? null : true);

      // The rollout and the health of every part, as the edge's /health/services detail has them.
      String share = browser.until(d -> rowText(d.findElements(By.xpath("//table[@id='rollout']//tr[th='Share to the new worker']"))));
      assertTrue(share.contains("100 %"), share);
      for (String part : List.of("edge", "worker", "storage")) {
        String health = browser.until(d -> rowText(d.findElements(By.xpath("//table[@id='services']//tr[th='" + part + "']"))));
        assertTrue(health.contains("UP"), part + ": " + health);
      }
      assertTrue(browser.all(By.cssSelector("#members tbody tr")).size() >= 2, "the edge and the worker are listed");
      ((JavascriptExecutor) browser.driver()).executeScript("document.getElementById('chats-title').scrollIntoView()");
      browser.screenshot("console-tables");
    }
    assertEquals(1, texts(fake).stream().filter("fixed"::equals).count(), "the dropped update never ran: " + texts(fake));
    JsonObject left = Http.get(worker, "/console/api/dead-letters", TOKEN).json();
    assertEquals(0, left.getInteger("count"), left.encode());
  }

  @Test
  void theSeriesEndpointHasEveryNamedSeriesWithPoints(Vertx vertx) throws Exception {
    Running bot = start(vertx, new FlakyModule(), Map.of());
    int worker = bot.worker();
    // The edge starts after the worker: its counters are a baseline once the sampler has read them once.
    Poll.until(() -> ConsoleSeries.hasValue(ConsoleSeries.get(worker, null), "acked_per_second"), Duration.ofSeconds(20),
        () -> "the edge's figures in no interval");
    WebhookDeliverer.telegram(bot.app().edge().actualPort(), TestEnv.WEBHOOK_SECRET)
        .deliverAll(Updates.echoes(1, 30, 5, 900), Duration.ofSeconds(20));
    bot.fake().awaitCalls("sendMessage", 30, Duration.ofSeconds(20));

    JsonObject[] answer = new JsonObject[1];
    Poll.until(() -> {
      answer[0] = ConsoleSeries.get(worker, null);
      return ConsoleSeries.hasValue(answer[0], "handled_per_second") && ConsoleSeries.hasValue(answer[0], "ack_p50_ms");
    }, Duration.ofSeconds(30), () -> "no interval with the updates in it: " + answer[0]);
    JsonObject body = answer[0];
    assertEquals(5, body.getInteger("interval_seconds"));
    assertEquals(900, body.getInteger("window_seconds"));
    JsonObject series = body.getJsonObject("series");
    assertEquals(SERIES, new ArrayList<>(series.fieldNames()), body.encode());
    for (String name : SERIES) {
      JsonArray points = series.getJsonObject(name).getJsonArray("points");
      assertFalse(points.isEmpty(), name + ": " + body.encode());
      assertEquals(2, points.getJsonArray(0).size(), "[time, value]: " + body.encode());
    }
    // Every update of the interval that had them was acknowledged and handled; their latencies are in the percentiles.
    double handled = ConsoleSeries.sum(body, "handled_per_second");
    double acked = ConsoleSeries.sum(body, "acked_per_second");
    assertTrue(handled > 0 && acked > 0, body.encode());
    for (String name : List.of("handler_p50_ms", "handler_p99_ms", "ack_p99_ms")) {
      assertTrue(ConsoleSeries.hasValue(body, name), name + ": " + body.encode());
    }
    assertTrue(ConsoleSeries.hasValue(body, "spool_depth"), "the edge reports its spool: " + body.encode());
  }

  @Test
  void theOverviewShowsAChatsUpdatesInFlightTheRolloutAndTheHealth(Vertx vertx) throws Exception {
    FlakyModule module = new FlakyModule();
    Running bot = start(vertx, module, Map.of());
    int worker = bot.worker();
    // The edge sends a chat's next update only once the one before is handled: "/echo two" waits at the edge.
    WebhookDeliverer.telegram(bot.app().edge().actualPort(), TestEnv.WEBHOOK_SECRET).deliverAll(List.of(
        Updates.message(1, 950, "/hold"), Updates.message(2, 951, "/hold"), Updates.message(3, 950, "/echo two")),
        Duration.ofSeconds(20));
    JsonObject[] overview = new JsonObject[1];
    Poll.until(() -> {
      overview[0] = get(worker, "/console/api/overview");
      return overview[0] != null && overview[0].getJsonObject("in_flight").getInteger("chats_total") == 2
          && overview[0].getJsonObject("health").getJsonArray("members").size() == 2;
    }, Duration.ofSeconds(20), () -> "chats 950 and 951 running, the edge and the worker heard: " + overview[0]);
    JsonObject inFlight = overview[0].getJsonObject("in_flight");
    assertEquals(2, inFlight.getInteger("updates"), inFlight.encode());
    List<String> chats = new ArrayList<>();
    inFlight.getJsonArray("chats").forEach(c -> {
      JsonObject chat = (JsonObject) c;
      chats.add(chat.getString("chat"));
      assertEquals(true, chat.getBoolean("running"), inFlight.encode());
      assertEquals(0, chat.getInteger("queued"), inFlight.encode());
      assertTrue(chat.getLong("running_ms") >= 0, inFlight.encode());
    });
    assertEquals(List.of("950", "951"), chats.stream().sorted().toList(), inFlight.encode());
    JsonObject rollout = overview[0].getJsonObject("rollout");
    assertEquals(false, rollout.getBoolean("enabled"), rollout.encode());
    assertEquals(100.0, rollout.getDouble("share_percent"), "without a legacy bot every chat is on the new worker");
    JsonObject health = overview[0].getJsonObject("health");
    assertEquals("edge", health.getString("source"), "the edge's /health/services detail: " + health.encode());
    for (String part : List.of("edge", "worker", "storage")) {
      assertEquals("UP", health.getJsonObject("services").getJsonObject(part).getString("status"), health.encode());
    }

    module.release();
    bot.fake().awaitCalls("sendMessage", 3, Duration.ofSeconds(20));
    Poll.until(() -> get(worker, "/console/api/overview").getJsonObject("in_flight").getInteger("chats_total") == 0,
        Duration.ofSeconds(20), () -> "chat 950 still in flight");
  }

  @Test
  void withATokenTheDataAndTheActionsNeedIt(Vertx vertx) throws Exception {
    int worker = start(vertx, new FlakyModule(), Map.of("MONITORING_TOKEN", TOKEN, "WORKER_HTTP_HOST", "0.0.0.0")).worker();
    String outside = OutsideAddress.get();

    for (String host : List.of(outside, "127.0.0.1")) {
      for (String bearer : new String[] {null, "wrong-token-0123456789abcdef"}) {
        for (String path : List.of("/console/api/series", "/console/api/overview", "/console/api/dead-letters")) {
          assertRefused(401, Http.get(host, worker, path, bearer), host + path);
        }
        for (String action : List.of("replay", "drop")) {
          assertRefused(401, post(host, worker, action, bearer, "{\"update\":\"1\"}"), host + " " + action);
        }
      }
      for (String path : List.of("/console/api/series", "/console/api/overview", "/console/api/dead-letters")) {
        Http.Answer allowed = Http.get(host, worker, path, TOKEN);
        assertEquals(200, allowed.status(), host + path + ": " + allowed.body());
      }
      // The page itself is served (it holds no data and asks for the token), framed by nobody.
      Http.Answer page = Http.get(host, worker, "/console/", null);
      assertEquals(200, page.status());
      assertTrue(page.body().contains("<label for=\"token\">Monitoring token</label>"), page.body());
    }

    // With the token, bad input is a 4xx with a JSON reason.
    assertRefused(404, post("127.0.0.1", worker, "replay", TOKEN, "{\"update\":\"424242\"}"), "an unknown update");
    assertRefused(404, post("127.0.0.1", worker, "drop", TOKEN, "{\"update\":\"424242\",\"from\":\"edge\"}"), "unknown at the edge");
    assertRefused(400, post("127.0.0.1", worker, "drop", TOKEN, "not json"), "not JSON");
    assertRefused(400, post("127.0.0.1", worker, "drop", TOKEN, "{\"update\":7}"), "a number for the update");
    assertRefused(400, post("127.0.0.1", worker, "replay", TOKEN, "{\"update\":\"1\",\"from\":\"legacy\"}"), "an unknown owner");
    assertRefused(415, Http.post("127.0.0.1", worker, "/console/api/dead-letters/drop", TOKEN, "text/plain", "{\"update\":\"1\"}"),
        "a body a cross-site form could send");
  }

  @Test
  void withoutATokenOnlyLoopbackIsServed(Vertx vertx) throws Exception {
    int worker = start(vertx, new FlakyModule(), Map.of("WORKER_HTTP_HOST", "0.0.0.0")).worker();
    String outside = OutsideAddress.get();

    for (String path : List.of("/console/", "/console/api/series", "/console/api/overview", "/console/api/dead-letters")) {
      assertRefused(403, Http.get(outside, worker, path, null), "outside " + path);
      assertEquals(200, Http.get(worker, path).status(), "loopback " + path);
    }
    assertRefused(403, post(outside, worker, "replay", null, "{\"update\":\"1\"}"), "outside replay");
    assertRefused(403, post(outside, worker, "drop", null, "{\"update\":\"1\"}"), "outside drop");
    assertRefused(404, post("127.0.0.1", worker, "drop", null, "{\"update\":\"1\"}"), "loopback, no such letter");
  }

  private static Http.Answer post(String host, int port, String action, String bearer, String body) throws Exception {
    return Http.post(host, port, "/console/api/dead-letters/" + action, bearer, "application/json", body);
  }

  private static void assertRefused(int status, Http.Answer answer, String what) {
    assertEquals(status, answer.status(), what + ": " + answer.body());
    JsonObject body = answer.json();
    assertEquals(false, body.getBoolean("ok"), what + ": " + answer.body());
    assertFalse(body.getString("error", "").isBlank(), what + ": " + answer.body());
  }

  /** A loopback GET's JSON, or null while the worker does not answer. */
  private static JsonObject get(int worker, String path) {
    try {
      return Http.get(worker, path).json();
    } catch (Exception e) {
      return null;
    }
  }

  /** How many points the series have now (the console's token is set in that test). */
  private static int points(int worker) {
    JsonObject answer = ConsoleSeries.get(worker, TOKEN);
    return answer == null ? -1 : ConsoleSeries.points(answer, "handled_per_second").size();
  }

  private static By row(String update) {
    return By.cssSelector("#dead-letters tbody tr[data-update='" + update + "']");
  }

  /** The row's text, or null while there is none (or the table was just redrawn under the lookup). */
  private static String rowText(List<WebElement> rows) {
    try {
      return rows.isEmpty() ? null : rows.get(0).getText();
    } catch (StaleElementReferenceException e) {
      return null;
    }
  }

  /** Clicks what {@code by} finds, looking again if the table is redrawn in between. */
  private static void click(Browser browser, By by) {
    browser.until(d -> {
      try {
        d.findElement(by).click();
        return true;
      } catch (StaleElementReferenceException e) {
        return null;
      }
    });
  }

  private static List<String> texts(FakeTelegramApi fake) {
    return fake.calls("sendMessage").stream().map(c -> c.params().getString("text")).toList();
  }
}
