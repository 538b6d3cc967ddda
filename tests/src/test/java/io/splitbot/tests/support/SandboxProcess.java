package io.splitbot.tests.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar bot-worker.jar sandbox} as a newcomer runs it: no token, its own DATA_DIR, any free ports. Waits
 * for the one line it prints and talks to the chat page's API as the page does.
 */
public final class SandboxProcess implements AutoCloseable {
  public static final Pattern URL_LINE = Pattern.compile("(?m)^http://127\\.0\\.0\\.1:(\\d+)/sandbox$");

  private final JvmProcess process;
  private final String url;
  private final int port;
  private final HttpClient http = HttpClients.http1(Duration.ofSeconds(2));
  private final List<JsonObject> changes = new ArrayList<>();
  private long last;

  private SandboxProcess(JvmProcess process, String url, int port) {
    this.process = process;
    this.url = url;
    this.port = port;
  }

  /** {@code java -jar bot-worker.jar sandbox} with only PATH, DATA_DIR and WORKER_PORT=0 set; waits for its URL. */
  public static SandboxProcess start(String name, Path dataDir) throws Exception {
    return started(JvmProcess.start(name, JvmProcess.workerJar(), env(dataDir, Map.of()), dataDir, "sandbox"));
  }

  /**
   * {@code java -cp bot-worker.jar:<jars> io.splitbot.worker.WorkerMain sandbox}: a user's own bot module in the
   * sandbox, with its own settings in {@code moduleEnv}; waits for the URL.
   */
  public static SandboxProcess startClassPath(String name, Path dataDir, List<Path> moduleJars, Map<String, String> moduleEnv)
      throws Exception {
    List<Path> classPath = new ArrayList<>(List.of(JvmProcess.workerJar()));
    classPath.addAll(moduleJars);
    return started(JvmProcess.startClassPath(name, classPath, "io.splitbot.worker.WorkerMain", env(dataDir, moduleEnv),
        dataDir, "sandbox"));
  }

  private static Map<String, String> env(Path dataDir, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("DATA_DIR", dataDir.toString());
    env.put("WORKER_PORT", "0");
    return env;
  }

  private static SandboxProcess started(JvmProcess process) throws Exception {
    String[] found = new String[1];
    try {
      Poll.until(() -> {
        Matcher m = URL_LINE.matcher(process.output());
        if (m.find()) {
          found[0] = m.group();
          return true;
        }
        return !process.alive();
      }, Duration.ofSeconds(90), () -> "the sandbox printed no URL:\n" + process.output());
    } catch (AssertionError e) {
      process.close();
      throw e;
    }
    if (found[0] == null) {
      String output = process.output();
      process.close();
      throw new AssertionError("the sandbox stopped before printing its URL:\n" + output);
    }
    Matcher m = URL_LINE.matcher(found[0]);
    m.find();
    return new SandboxProcess(process, found[0], Integer.parseInt(m.group(1)));
  }

  public JvmProcess process() {
    return process;
  }

  /** The printed URL, {@code http://127.0.0.1:PORT/sandbox}. */
  public String url() {
    return url;
  }

  /** The worker's port, which the URL names. */
  public int port() {
    return port;
  }

  /** POST a JSON body to a path of the worker's port. */
  public Http.Answer post(String path, String contentType, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Http.Answer(r.statusCode(), r.body());
  }

  /** The user {@code from} sends {@code text} in their private chat, as the page does; returns the update_id. */
  public long say(JsonObject from, String text) throws Exception {
    Http.Answer a = post("/sandbox/api/messages", "application/json",
        new JsonObject().put("chat_id", from.getLong("id")).put("from", from).put("text", text).encode());
    if (a.status() != 200) {
      throw new AssertionError("the sandbox refused the message: " + a.status() + " " + a.body());
    }
    return a.json().getLong("update_id");
  }

  /** Reads the chats' changes (the page's long poll) until one matches; returns it. */
  public JsonObject awaitChange(Predicate<JsonObject> wanted, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (JsonObject change : changes) {
        if (wanted.test(change)) {
          return change;
        }
      }
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        throw new AssertionError("no such change within " + timeout + "; saw " + changes + "\n" + process.output());
      }
      Http.Answer a = Http.get(port, "/sandbox/api/changes?after=" + last + "&wait_ms=" + Math.min(leftMs, 5000));
      if (a.status() != 200) {
        throw new AssertionError("changes answered " + a.status() + " " + a.body());
      }
      JsonObject page = a.json();
      JsonArray found = page.getJsonArray("changes");
      found.forEach(c -> changes.add((JsonObject) c));
      last = page.getLong("last");
    }
  }

  @Override
  public void close() throws Exception {
    process.close();
  }
}
