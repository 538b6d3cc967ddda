package io.splitbot.tests.desk;

import io.splitbot.desk.DeskModule;
import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.storage.Storage;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * The desk bot under test: the testkit's {@link BotTester} running the desk module in this JVM (edge and worker,
 * webhook mode, the fake Bot API), or talking to a bot-worker.jar process; plus what only the desk's tests reach
 * into, its storage and its internal API's port.
 */
public final class DeskHarness {
  private final BotTester tester;

  private DeskHarness(BotTester tester) {
    this.tester = tester;
  }

  /** The environment of a desk bot on the embedded defaults (json store, no Redis) in {@code dir}. */
  public static Map<String, String> env(FakeTelegramApi fake, Path dir) {
    return TestEnv.webhookEnv(fake.baseUrl(), dir);
  }

  /** Deploys the desk in this JVM with {@code env}, on the test's Vert.x (which closes it). */
  public static DeskHarness inProcess(Vertx vertx, FakeTelegramApi fake, Map<String, String> env) {
    return new DeskHarness(BotTester.start(vertx, fake, new DeskModule(), env));
  }

  /**
   * The desk in this JVM with its internal API on (INTERNAL_API_TOKEN is {@link io.splitbot.tests.api.ApiClient#TOKEN}),
   * its own fake Bot API and a JSON store in a fresh directory, plus {@code extra} settings.
   */
  public static DeskHarness withApi(Vertx vertx, String dir, Map<String, String> extra) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = env(fake, TestEnv.tempDir(dir));
    env.put("INTERNAL_API_TOKEN", io.splitbot.tests.api.ApiClient.TOKEN);
    env.putAll(extra);
    return inProcess(vertx, fake, env);
  }

  /** The desk in another process, started with {@link #env}: its edge on {@code edgePort}, its worker on {@code workerPort}. */
  public static DeskHarness external(FakeTelegramApi fake, int edgePort, int workerPort) {
    return new DeskHarness(BotTester.external(fake, edgePort, workerPort, TestEnv.WEBHOOK_SECRET));
  }

  public TestChat user(long id, String firstName, String lastName, String language) {
    return tester.chat(id, firstName, lastName, language);
  }

  public BotTester tester() {
    return tester;
  }

  public FakeTelegramApi fake() {
    return tester.api();
  }

  public SplitbotApp app() {
    return tester.app();
  }

  public Storage storage() {
    return tester.app().worker().resources().storage();
  }

  /** The worker's HTTP port: the desk's internal API. */
  public int workerPort() {
    return tester.app().worker().httpPort();
  }
}
