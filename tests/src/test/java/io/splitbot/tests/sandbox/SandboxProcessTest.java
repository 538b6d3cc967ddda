package io.splitbot.tests.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.ConsoleSeries;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.ModuleJar;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.ProcFs;
import io.splitbot.tests.support.SandboxProcess;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar bot-worker.jar sandbox} as its own process, with no token in its environment: it prints one line,
 * the chat page's URL; every socket it holds is on 127.0.0.1; a message posted through the page's API gets the desk
 * bot's reply through the whole runtime (dedup and the effect ledger write their files); bad requests get a 4xx with a
 * reason; a user's own module on the class path runs in the sandbox as the desk does.
 */
class SandboxProcessTest {
  private static final JsonObject ANNA = new JsonObject().put("id", 1001).put("first_name", "Anna").put("last_name", "Resident")
      .put("language_code", "en");
  private static final Duration REPLY = Duration.ofSeconds(60);

  private static Path dir;
  private static SandboxProcess sandbox;

  @BeforeAll
  static void start() throws Exception {
    dir = TestEnv.tempDir("sandbox-process");
    sandbox = SandboxProcess.start("sandbox", dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void printsOneLineListensOnLoopbackOnlyAndAnswersThroughTheRuntime() throws Exception {
    assertEquals(List.of(sandbox.url()), sandbox.process().output().lines().filter(l -> !l.isBlank()).toList(),
        "the sandbox prints its URL and nothing else");

    List<ProcFs.TcpSocket> sockets = ProcFs.tcpSockets(sandbox.process().pid());
    List<ProcFs.TcpSocket> listening = sockets.stream().filter(ProcFs.TcpSocket::listening).toList();
    assertTrue(listening.size() >= 3, "the emulator, the edge and the worker listen: " + sockets);
    assertTrue(listening.stream().anyMatch(s -> s.localPort() == sandbox.port()), "the printed port is the process's: " + sockets);
    assertLoopbackOnly(sockets);

    Http.Answer page = Http.get(sandbox.port(), "/sandbox");
    assertEquals(200, page.status());
    assertTrue(page.body().contains("aria-label=\"Message\""), page.body());

    long updateId = sandbox.say(ANNA, "/start");
    JsonObject reply = sandbox.awaitChange(c -> "message".equals(c.getString("type")) && "1001".equals(c.getString("chat_id"))
        && c.getJsonObject("message").getJsonObject("from").getBoolean("is_bot")
        && c.getJsonObject("message").getString("text").startsWith("Hello, Anna!"), REPLY);
    JsonObject echoed = sandbox.awaitChange(c -> "message".equals(c.getString("type"))
        && !c.getJsonObject("message").getJsonObject("from").getBoolean("is_bot")
        && "/start".equals(c.getJsonObject("message").getString("text")), REPLY);
    assertEquals("bot_command", echoed.getJsonObject("message").getJsonArray("entities").getJsonObject(0).getString("type"),
        "the user's command carries Telegram's entity: " + echoed.encode());

    // Through the runtime: dedup marked the update handled, the effect ledger logged the reply's effect.
    Path data = dir.resolve("sandbox");
    Poll.until(() -> marked(data.resolve("dedup.bin"), updateId), Duration.ofSeconds(10),
        () -> "dedup.bin holds no mark of update " + updateId);
    String effects = Files.readString(data.resolve("effects.log"));
    assertTrue(effects.lines().map(JsonObject::new).anyMatch(line -> String.valueOf(updateId).equals(String.valueOf(line.getValue("u")))
        && "complete".equals(line.getString("t"))), "the ledger saw the update's effect: " + effects);

    // The ops console runs in the sandbox as in production (loopback, no MONITORING_TOKEN): it counts the update.
    assertEquals(200, Http.get(sandbox.port(), "/console/").status());
    Poll.until(() -> {
      JsonObject series = ConsoleSeries.get(sandbox.port(), null);
      return series != null && ConsoleSeries.sum(series, "handled_per_second") > 0;
    }, Duration.ofSeconds(30), () -> "the console's handled series never counted: " + ConsoleSeries.get(sandbox.port(), null));
  }

  @Test
  void badRequestsGetAReasonAndTheSandboxServesOn() throws Exception {
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json", "{not json"), 400, "JSON");
    assertRefused(sandbox.post("/sandbox/api/messages", "text/plain", "hello"), 415, "application/json");
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json", new JsonObject().put("chat_id", 1001).put("text", "hi").encode()),
        400, "from");
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json",
        new JsonObject().put("chat_id", 42).put("from", ANNA).put("text", "hi").encode()), 400, "chat_id");
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json",
        new JsonObject().put("chat_id", 1001).put("from", ANNA).put("text", "x".repeat(4097)).encode()), 400, "text");
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json",
        new JsonObject().put("chat_id", 1001).put("from", ANNA.copy().put("id", "abc")).put("text", "hi").encode()), 400, "from.id");
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json",
        new JsonObject().put("chat_id", 1001).put("from", ANNA).put("contact", new JsonObject().put("phone_number", "<b>")).encode()),
        400, "phone_number");
    assertRefused(sandbox.post("/sandbox/api/callbacks", "application/json",
        new JsonObject().put("chat_id", 1001).put("from", ANNA).put("message_id", 999_999).put("data", "x").encode()), 404, "button");
    assertRefused(sandbox.post("/sandbox/api/messages", "application/json", "{\"text\":\"" + "y".repeat(70_000) + "\"}"), 413, "large");
    assertRefused(Http.get(sandbox.port(), "/sandbox/api/changes?after=abc"), 400, "after");
    assertRefused(Http.get(sandbox.port(), "/sandbox/api/changes?wait_ms=999999"), 400, "wait_ms");

    long updateId = sandbox.say(ANNA, "/echo still here");
    JsonObject echo = sandbox.awaitChange(c -> "message".equals(c.getString("type"))
        && c.getJsonObject("message").getJsonObject("from").getBoolean("is_bot")
        && c.getJsonObject("message").getString("text").contains("still here"), REPLY);
    assertFalse(echo.isEmpty(), "update " + updateId + " answered");
  }

  /** Also with a real bot's settings in the environment: the sandbox uses none that reaches beyond this machine. */
  @Test
  void runsAUsersOwnModuleFromTheClassPathAndLeavesARealBotsSettingsAlone() throws Exception {
    Path own = TestEnv.tempDir("sandbox-module");
    Path greeter = ModuleJar.build("greeter", own);
    Map<String, String> env = Map.of("GREETING", "Hello from my own bot",
        "TELEGRAM_BOT_TOKEN", TestEnv.TOKEN, "TELEGRAM_API_URL", "http://192.0.2.1:9", "MAX_BOT_TOKEN", "max-token-of-a-real-bot-0123456789",
        "HTTP_HOST", "0.0.0.0", "WORKER_HTTP_HOST", "0.0.0.0");
    try (SandboxProcess mine = SandboxProcess.startClassPath("sandbox-greeter", own, List.of(greeter), env)) {
      mine.say(ANNA, "/start");
      JsonObject reply = mine.awaitChange(c -> "message".equals(c.getString("type"))
          && c.getJsonObject("message").getJsonObject("from").getBoolean("is_bot"), REPLY);
      assertEquals("Hello from my own bot", reply.getJsonObject("message").getString("text"));
      assertLoopbackOnly(ProcFs.tcpSockets(mine.process().pid()));
    }
  }

  /** Every socket is on 127.0.0.1, and every connection goes to 127.0.0.1: nothing reaches a network. */
  private static void assertLoopbackOnly(List<ProcFs.TcpSocket> sockets) {
    for (ProcFs.TcpSocket s : sockets) {
      assertEquals("127.0.0.1", s.localAddress(), "every socket is on 127.0.0.1: " + s);
      if (!s.listening()) {
        assertEquals("127.0.0.1", s.remoteAddress(), "and talks to this machine only: " + s);
      }
    }
  }

  private static void assertRefused(Http.Answer answer, int status, String reasonNames) {
    assertEquals(status, answer.status(), answer.body());
    JsonObject body = answer.json();
    assertEquals(false, body.getBoolean("ok"), answer.body());
    assertTrue(body.getString("error").contains(reasonNames), answer.body());
  }

  /** Whether dedup.bin holds a 16-byte mark (update_id, epoch second) for this update, after any snapshot. */
  private static boolean marked(Path file, long updateId) {
    try {
      if (!Files.exists(file)) {
        return false;
      }
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
      long now = System.currentTimeMillis() / 1000;
      for (int at = 0; at + 16 <= bytes.limit(); at++) {
        if (bytes.getLong(at) == updateId && Math.abs(bytes.getLong(at + 8) - now) < 3600) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}
