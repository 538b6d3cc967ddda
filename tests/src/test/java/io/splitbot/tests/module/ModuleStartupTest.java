package io.splitbot.tests.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ModuleJar;
import io.splitbot.tests.support.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bot modules of a user's own, on the class path of the shipped bot-worker.jar, that cannot start: the process
 * stops with its exit code and exactly one line on stderr that names the problem, and no stack trace anywhere.
 */
class ModuleStartupTest {
  private static final String COUNTER = "com.example.counter.CounterModule";
  private static final String GREETER = "com.example.greeter.GreeterModule";
  private static Path counterJar;
  private static Path greeterJar;
  private static Path misnamedJar;
  private static Path textedJar;
  private static Path noBotJar;

  private final Path dir = TestEnv.tempDir("module-startup");
  private final Map<String, String> env = TestEnv.webhookEnv("http://127.0.0.1:9", dir);

  @BeforeAll
  static void buildModules() throws Exception {
    Path jars = TestEnv.tempDir("module-jars");
    counterJar = ModuleJar.build("counter", jars);
    greeterJar = ModuleJar.build("greeter", jars);
    misnamedJar = ModuleJar.build("misnamed", jars);
    textedJar = ModuleJar.build("texted", jars, ModuleJar.build("texts", jars));
    noBotJar = ModuleJar.build("nobot", jars);
  }

  @Test
  void twoModulesWithoutBotModuleStopStartUpNamingBoth() throws Exception {
    String line = assertStopsWithOneLine(start("two-modules", counterJar, greeterJar), 2);
    assertTrue(line.startsWith("splitbot: configuration error: BOT_MODULE "), line);
    assertTrue(line.contains(COUNTER) && line.contains(GREETER), "names both modules: " + line);
  }

  @Test
  void botModulePicksOneOfTwo() throws Exception {
    env.put("BOT_MODULE", GREETER);
    env.put("GREETING", "Hi there");
    try (JvmProcess p = start("picked", counterJar, greeterJar)) {
      p.awaitHttp("http://127.0.0.1:" + env.get("PORT") + "/health/ready", 200, Duration.ofSeconds(60));
      assertTrue(p.output().contains("bot module " + GREETER), p.output());
      assertEquals("", p.errors().strip(), "nothing on stderr");
    }
  }

  @Test
  void aMissingBotModuleClassStopsStartUpNamingTheVariable() throws Exception {
    env.put("BOT_MODULE", "com.example.Missing");
    String line = assertStopsWithOneLine(start("missing", counterJar), 2);
    assertTrue(line.startsWith("splitbot: configuration error: BOT_MODULE "), line);
    assertTrue(line.contains("com.example.Missing"), line);
  }

  @Test
  void aModuleThatThrowsInCreateStopsStartUpNamingItAndItsMessage() throws Exception {
    String line = assertStopsWithOneLine(start("throws", greeterJar), 1);
    assertTrue(line.startsWith("splitbot: bot module " + GREETER + " failed to start"), line);
    assertTrue(line.endsWith("no GREETING set"), line);
  }

  @Test
  void aModulesOwnBadVariableIsAConfigurationError() throws Exception {
    env.put("COUNTER_STEP", "abc");
    String line = assertStopsWithOneLine(start("bad-step", counterJar), 2);
    assertEquals("splitbot: configuration error: COUNTER_STEP must be a whole number, got 'abc'", line);
  }

  @Test
  void aServicesFileNamingAMissingClassIsAConfigurationError() throws Exception {
    String line = assertStopsWithOneLine(start("misnamed", misnamedJar), 2);
    assertEquals("splitbot: configuration error: a META-INF/services/io.splitbot.worker.bot.BotModule file on the classpath"
        + " names a class that cannot be loaded: Provider com.example.misnamed.MisnamedModul not found", line);
  }

  @Test
  void aModuleWhoseLibraryIsLeftOffTheClassPathNamesItAndTheMissingClass() throws Exception {
    String line = assertStopsWithOneLine(start("no-library", textedJar), 1);
    assertEquals("splitbot: bot module com.example.texted.TextedModule failed to start: NoClassDefFoundError: com/example/texts/Texts,"
        + " caused by ClassNotFoundException: com.example.texts.Texts", line);
  }

  @Test
  void aModuleWhoseCreateReturnsNullIsNamed() throws Exception {
    String line = assertStopsWithOneLine(start("no-bot", noBotJar), 1);
    assertEquals("splitbot: bot module com.example.nobot.NoBotModule failed to start: IllegalStateException: create returned"
        + " null instead of a Bot", line);
  }

  private JvmProcess start(String name, Path... modules) throws Exception {
    List<Path> classPath = new ArrayList<>();
    classPath.add(JvmProcess.workerJar());
    classPath.addAll(List.of(modules));
    return JvmProcess.startClassPath(name, classPath, "io.splitbot.worker.WorkerMain", env, dir);
  }

  /** The exit code, and stderr's one line (returned); no stack trace on stdout or stderr. */
  private static String assertStopsWithOneLine(JvmProcess process, int exitCode) throws Exception {
    int code = process.waitForExit(Duration.ofSeconds(60));
    String output = process.output();
    assertEquals(exitCode, code, output);
    List<String> lines = process.errors().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "exactly one line on stderr: " + output);
    assertFalse(output.contains("\tat ") || output.contains("Caused by:") || output.contains("Exception in thread"),
        "no stack trace: " + output);
    return lines.get(0);
  }
}
