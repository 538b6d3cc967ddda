package io.splitbot.tests.deploy;

import static io.splitbot.tests.deploy.Blueprint.envVars;
import static io.splitbot.tests.deploy.Blueprint.list;
import static io.splitbot.tests.deploy.Blueprint.map;
import static io.splitbot.tests.deploy.Blueprint.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.testkit.ClusterCertificates;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.worker.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deploy files, checked as far as a machine without a Docker engine allows: render.yaml and docker/compose.yaml
 * parsed and held to the rules (service types, health path, env wiring, no secret in plain text, the configuration
 * they produce is valid), and the Dockerfiles' COPY sources and jar names checked against the build.
 */
class DeployFilesTest {
  private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|PRIVATE).*");
  /** What Render's generateValue looks like: base64 of 256 bits, with + / and = padding. */
  static final String GENERATED = "B0jrphAPOY7pg92AN0c9MN4y+cczLMdwnx4OkA1KF/k=";
  static final String TOKEN = "123456789:AAHsplitbotDeployTestSecretPart0";

  @Test
  void theBlueprintRunsTheEdgeAsAWebServiceAndTheWorkerAsAPrivateService() throws Exception {
    Map<String, Object> render = Blueprint.load("render.yaml");
    Map<String, Object> edge = service(render, "splitbot-edge");
    Map<String, Object> worker = service(render, "splitbot-worker");
    Map<String, Object> kv = service(render, "splitbot-kv");
    Map<String, Object> db = service(render, "splitbot-db");

    assertEquals("web", edge.get("type"));
    assertEquals("/health/accepting", edge.get("healthCheckPath"), "a worker that is away must not fail the edge's check");
    assertEquals("pserv", worker.get("type"), "a background worker cannot receive the event bus' private traffic");
    assertTrue(list(render.get("services")).stream().noneMatch(s -> "worker".equals(s.get("type"))));
    for (Map<String, Object> s : List.of(edge, worker)) {
      assertEquals("docker", s.get("runtime"));
      assertEquals(".", s.get("dockerContext"));
      assertTrue(Files.exists(Blueprint.ROOT.resolve(String.valueOf(s.get("dockerfilePath")))), s.get("dockerfilePath") + " exists");
      assertFalse("free".equals(s.get("plan")), s.get("name") + ": a free instance cannot receive private-network traffic");
    }
    assertEquals("./docker/webhook-server.Dockerfile", edge.get("dockerfilePath"));
    assertEquals("./docker/bot-worker.Dockerfile", worker.get("dockerfilePath"));

    assertEquals("keyvalue", kv.get("type"));
    assertEquals("noeviction", kv.get("maxmemoryPolicy"), "dedup marks and the spool must never be evicted");
    assertEquals(List.of(), kv.get("ipAllowList"), "Key Value reachable from the private network only");
    assertEquals(List.of(), db.get("ipAllowList"), "PostgreSQL reachable from the private network only");
    assertTrue(list(render.get("databases")).contains(db));

    // Env wiring: datastores through fromDatabase / fromService, the cluster through each other's private host.
    Map<String, Map<String, Object>> edgeEnv = envVars(edge);
    Map<String, Map<String, Object>> workerEnv = envVars(worker);
    assertEquals(Map.of("name", "splitbot-db", "property", "connectionString"), workerEnv.get("DATABASE_URL").get("fromDatabase"));
    for (Map<String, Map<String, Object>> env : List.of(edgeEnv, workerEnv)) {
      assertEquals(Map.of("type", "keyvalue", "name", "splitbot-kv", "property", "connectionString"), env.get("REDIS_URL").get("fromService"));
      assertEquals("0.0.0.0", env.get("CLUSTER_HOST").get("value"));
      assertEquals("json", env.get("LOG_FORMAT").get("value"));
    }
    assertEquals(Map.of("type", "pserv", "name", "splitbot-worker", "property", "host"), edgeEnv.get("CLUSTER_MEMBERS").get("fromService"));
    assertEquals(Map.of("type", "web", "name", "splitbot-edge", "property", "host"), workerEnv.get("CLUSTER_MEMBERS").get("fromService"));
    // A member given without a port is tried on the local CLUSTER_PORT: both services must use the same one.
    assertEquals(edgeEnv.get("CLUSTER_PORT").get("value"), workerEnv.get("CLUSTER_PORT").get("value"));
    assertEquals(edgeEnv.get("EVENTBUS_PORT").get("value"), workerEnv.get("EVENTBUS_PORT").get("value"));
    assertEquals("redis", edgeEnv.get("SPOOL").get("value"), "a web service's disk is not kept across deploys");
    assertEquals("worker", workerEnv.get("BOT_ROLE").get("value"));
    // The instance counts are set, and each service keeps the shared state that lets it run as several instances
    // (a second edge with SPOOL=file or a second worker without REDIS_URL stops at start).
    for (Map<String, Object> s : List.of(edge, worker)) {
      assertTrue(s.get("numInstances") instanceof Integer n && n >= 1, s.get("name") + ": numInstances");
    }
    assertTrue(edgeEnv.containsKey("REDIS_URL") && workerEnv.containsKey("REDIS_URL"), "several instances share Key Value");

    // No secret in plain text: generated, asked for at creation, or taken from another service.
    for (Map<String, Object> s : List.of(edge, worker)) {
      envVars(s).forEach((key, v) -> {
        if (SECRET_NAME.matcher(key).matches() || key.endsWith("_URL") && !key.equals("TELEGRAM_API_URL")) {
          assertFalse(v.containsKey("value") && !String.valueOf(v.get("value")).isEmpty(),
              s.get("name") + ": " + key + " is written in plain text");
        }
        if (SECRET_NAME.matcher(key).matches()) {
          assertTrue(Boolean.TRUE.equals(v.get("generateValue")) || Boolean.FALSE.equals(v.get("sync"))
              || v.containsKey("fromService") || v.containsKey("fromDatabase"), s.get("name") + ": " + key + " is not a managed secret");
        }
      });
    }
    assertTrue(Boolean.TRUE.equals(edgeEnv.get("TELEGRAM_WEBHOOK_SECRET").get("generateValue")));
    assertTrue(Boolean.TRUE.equals(workerEnv.get("INTERNAL_API_TOKEN").get("generateValue")));
    // The worker's HTTP is opened to the private network only here (it binds to loopback by default), and monitoring
    // is closed by one token both services share.
    assertEquals("0.0.0.0", workerEnv.get("WORKER_HTTP_HOST").get("value"));
    assertFalse(edgeEnv.containsKey("WORKER_HTTP_HOST"), "the edge runs no worker port");
    assertTrue(Boolean.TRUE.equals(edgeEnv.get("MONITORING_TOKEN").get("generateValue")));
    assertEquals(Map.of("type", "web", "name", "splitbot-edge", "envVarKey", "MONITORING_TOKEN"),
        workerEnv.get("MONITORING_TOKEN").get("fromService"));
    assertEquals(Boolean.FALSE, edgeEnv.get("TELEGRAM_BOT_TOKEN").get("sync"));
    assertEquals(Map.of("type", "web", "name", "splitbot-edge", "envVarKey", "TELEGRAM_BOT_TOKEN"),
        workerEnv.get("TELEGRAM_BOT_TOKEN").get("fromService"));
    // One cluster certificate, asked for once and shared: the members trust exactly it.
    for (String key : List.of("CLUSTER_TLS_CERT", "CLUSTER_TLS_KEY")) {
      assertEquals(Boolean.FALSE, edgeEnv.get(key).get("sync"), key);
      assertEquals(Map.of("type", "web", "name", "splitbot-edge", "envVarKey", key), workerEnv.get(key).get("fromService"));
    }
  }

  @Test
  void theBlueprintsEnvironmentIsAValidConfigurationForEachService() throws Exception {
    Map<String, Object> render = Blueprint.load("render.yaml");
    Map<String, String> edge = Blueprint.environment(service(render, "splitbot-edge"), DeployFilesTest::renderValue);
    Map<String, String> worker = Blueprint.environment(service(render, "splitbot-worker"), DeployFilesTest::renderValue);
    worker.put("TELEGRAM_BOT_TOKEN", edge.get("TELEGRAM_BOT_TOKEN"));
    worker.put("MONITORING_TOKEN", edge.get("MONITORING_TOKEN"));
    worker.put("CLUSTER_TLS_CERT", edge.get("CLUSTER_TLS_CERT"));
    worker.put("CLUSTER_TLS_KEY", edge.get("CLUSTER_TLS_KEY"));
    edge.put("PORT", "10000"); // Render sets PORT for a web service

    SplitbotConfig edgeConfig = SplitbotConfig.fromEnv(edge, Role.EDGE);
    // Render's generated secret holds + / =, which Telegram refuses: the edge uses its URL-safe form.
    assertEquals("B0jrphAPOY7pg92AN0c9MN4y-cczLMdwnx4OkA1KF_k", edgeConfig.webhook().secret());
    assertEquals("redis", edgeConfig.delivery().spool());
    assertEquals(List.of("splitbot-worker"), edgeConfig.cluster().members());
    assertNotNull(edgeConfig.cluster().tls(), "CLUSTER_HOST=0.0.0.0: the cluster is secured");
    assertFalse(edgeConfig.routing().enabled(), "an empty LEGACY_WEBHOOK_URL means no legacy bot");

    WorkerConfig workerConfig = WorkerConfig.fromEnv(worker);
    assertEquals(Role.WORKER, workerConfig.core().role());
    assertEquals("webhook", workerConfig.core().telegram().mode());
    assertEquals("postgresql", workerConfig.storage().backend());
    assertEquals(List.of("splitbot-edge"), workerConfig.core().cluster().members());
    assertNotNull(workerConfig.core().cluster().tls());

    edge.remove("CLUSTER_TLS_KEY");
    ConfigException open = assertThrows(ConfigException.class, () -> SplitbotConfig.fromEnv(edge, Role.EDGE));
    assertTrue(open.getMessage().startsWith("CLUSTER_TLS_KEY is required"), open.getMessage());
    assertEquals(8081, workerConfig.core().http().workerPort());
    assertEquals("0.0.0.0", workerConfig.core().http().workerHost());
    assertEquals(GENERATED, workerConfig.core().http().monitoringToken());
    assertEquals(GENERATED, edgeConfig.http().monitoringToken());
  }

  /** What Render puts in a variable that is not a literal value (for the configuration check). */
  static String renderValue(Map<String, Object> v) {
    String key = String.valueOf(v.get("key"));
    if (Boolean.TRUE.equals(v.get("generateValue"))) {
      return GENERATED;
    }
    if (Boolean.FALSE.equals(v.get("sync"))) {
      return switch (key) {
        case "TELEGRAM_BOT_TOKEN" -> TOKEN;
        case "WEBHOOK_PUBLIC_URL" -> "https://splitbot-edge.onrender.com";
        case "CLUSTER_TLS_CERT" -> ClusterCertificates.shared().cert();
        case "CLUSTER_TLS_KEY" -> ClusterCertificates.shared().key();
        default -> ""; // left empty at creation (the legacy bot's settings)
      };
    }
    if (v.get("fromDatabase") != null) {
      return "postgresql://splitbot:pw@dpg-abc123-a:5432/splitbot";
    }
    Map<String, Object> from = map(v.get("fromService"));
    if (from != null && "connectionString".equals(from.get("property"))) {
      return "redis://red-abc123:6379";
    }
    if (from != null && "host".equals(from.get("property"))) {
      return String.valueOf(from.get("name"));
    }
    return null; // envVarKey: filled in by the caller
  }

  @Test
  void composeRunsTheOneJvmBotByDefaultAndTheClusterAsAProfile() throws Exception {
    Map<String, Object> compose = Blueprint.load("docker/compose.yaml");
    Map<String, Object> services = map(compose.get("services"));
    assertTrue(services.keySet().containsAll(List.of("postgres", "redis", "edge", "worker", "bot")), services.keySet().toString());
    Map<String, Object> edge = map(services.get("edge"));
    Map<String, Object> worker = map(services.get("worker"));
    Map<String, Object> bot = map(services.get("bot"));
    assertEquals("docker/webhook-server.Dockerfile", map(edge.get("build")).get("dockerfile"));
    assertEquals("docker/bot-worker.Dockerfile", map(worker.get("build")).get("dockerfile"));
    assertEquals("docker/bot-worker.Dockerfile", map(bot.get("build")).get("dockerfile"));
    for (Map<String, Object> s : List.of(edge, worker, bot)) {
      Path context = Blueprint.ROOT.resolve("docker").resolve(String.valueOf(map(s.get("build")).get("context"))).normalize();
      assertEquals(Blueprint.ROOT.normalize(), context, "the build context is the repository root");
    }
    assertFalse(bot.containsKey("profiles"), "the one-JVM bot runs by default");
    for (String name : List.of("postgres", "redis", "edge", "worker")) {
      assertEquals(List.of("cluster"), map(services.get(name)).get("profiles"), name);
    }

    Map<String, Object> edgeEnv = map(edge.get("environment"));
    Map<String, Object> workerEnv = map(worker.get("environment"));
    Map<String, Object> botEnv = map(bot.get("environment"));
    assertEquals("worker", workerEnv.get("BOT_ROLE"));
    assertEquals("all", botEnv.get("BOT_ROLE"));
    assertEquals("polling", botEnv.get("TELEGRAM_MODE"));
    for (Map<String, Object> env : List.of(edgeEnv, workerEnv)) {
      assertEquals("edge:5701,worker:5702", env.get("CLUSTER_MEMBERS"));
      assertEquals("0.0.0.0", env.get("CLUSTER_HOST"));
      assertEquals("${CLUSTER_TLS_CERT:-}", env.get("CLUSTER_TLS_CERT"));
      assertEquals("${CLUSTER_TLS_KEY:-}", env.get("CLUSTER_TLS_KEY"));
    }
    assertEquals("edge", edgeEnv.get("CLUSTER_PUBLIC_HOST"));
    // `--scale worker=N`: each worker announces its own address, publishes no fixed host port, has no fixed name; it
    // shares its state in Redis, so a second worker is not refused.
    assertFalse(workerEnv.containsKey("CLUSTER_PUBLIC_HOST"), "a scaled worker announces its own container's address");
    assertFalse(worker.containsKey("container_name"));
    assertEquals(List.of("127.0.0.1:8181-8189:8081"), worker.get("ports"), "a host port per scaled worker");
    assertTrue(Files.readString(Blueprint.ROOT.resolve("docker/compose.yaml")).contains("--scale worker=3"), "shown");
    assertEquals("5701", edgeEnv.get("CLUSTER_PORT"));
    assertEquals("5702", workerEnv.get("CLUSTER_PORT"));
    assertTrue(String.valueOf(workerEnv.get("DATABASE_URL")).contains("@postgres:5432/"));
    assertEquals("redis://redis:6379", workerEnv.get("REDIS_URL"));
    assertTrue(String.valueOf(map(services.get("redis")).get("command")).contains("noeviction"));
    assertTrue(map(services.get("postgres")).containsKey("healthcheck") && map(services.get("redis")).containsKey("healthcheck"));
    assertEquals("service_healthy", map(map(worker.get("depends_on")).get("postgres")).get("condition"));
    // Inside a container a loopback bind is unreachable through the published port: the worker's HTTP listens on the
    // container's network, published on the host's loopback only.
    for (Map<String, Object> s : List.of(worker, bot)) {
      assertEquals("0.0.0.0", map(s.get("environment")).get("WORKER_HTTP_HOST"));
      assertTrue(((List<?>) s.get("ports")).stream().allMatch(p -> String.valueOf(p).startsWith("127.0.0.1:")), "published on loopback");
    }
    assertEquals("${MONITORING_TOKEN:-}", workerEnv.get("MONITORING_TOKEN"));
    assertEquals("${MONITORING_TOKEN:-}", edgeEnv.get("MONITORING_TOKEN"));

    // Compose reads every ${...} whatever the profile, so nothing is required in the file: the default bot needs only
    // its token, and `run --rm worker dead-letters list` needs no webhook secret. The services refuse at start.
    assertFalse(Files.readString(Blueprint.ROOT.resolve("docker/compose.yaml")).contains(":?"), "no required variable");
    // No secret in plain text: each is taken from the environment (docker/.env).
    for (Map.Entry<String, Object> s : services.entrySet()) {
      Object environment = map(s.getValue()).get("environment");
      if (environment == null) {
        continue;
      }
      map(environment).forEach((key, value) -> {
        String text = String.valueOf(value);
        if (SECRET_NAME.matcher(key).matches()) {
          assertTrue(text.isEmpty() || text.matches("\\$\\{[A-Z_]+(:\\?[^}]*|:-)?}"),
              s.getKey() + ": " + key + " must come from the environment, got " + text);
        }
        if (key.equals("DATABASE_URL")) {
          assertTrue(text.contains("${POSTGRES_PASSWORD"), s.getKey() + ": the database password is not in plain text");
        }
      });
    }
    assertTrue(Files.exists(Blueprint.ROOT.resolve("docker/.env.example")));
    assertTrue(Files.readString(Blueprint.ROOT.resolve(".dockerignore")).contains("**/target"));
  }

  @Test
  void theDockerfilesCopyWhatExistsAndRunTheJarsTheBuildMakes() throws Exception {
    check("docker/webhook-server.Dockerfile", "webhook-server", JvmProcess.edgeJar());
    check("docker/bot-worker.Dockerfile", "bot-worker", JvmProcess.workerJar());
  }

  @Test
  void theJvmFlagsFileIsOneTheLauncherTakesAndEndsTheProcessOnOutOfMemory() throws Exception {
    String options = Files.readString(JvmProcess.jvmOptions());
    assertTrue(options.lines().anyMatch(l -> l.strip().equals("-XX:+ExitOnOutOfMemoryError")), "the platform restarts it");
    assertTrue(options.lines().anyMatch(l -> l.strip().matches("-Xmx\\d+m")), "a fixed heap, not a share of the container");
    // The java launcher itself reads it: comments, and every option known to this JDK.
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + JvmProcess.jvmOptions(), "-version").redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes());
    assertEquals(0, java.waitFor(), output);
  }

  @Test
  void theEdgeJarCarriesNoDatabaseDriverAndNoHandlerCode() throws Exception {
    try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(JvmProcess.edgeJar().toFile())) {
      List<String> forbidden = jar.stream().map(java.util.zip.ZipEntry::getName)
          .filter(n -> n.startsWith("org/postgresql/") || n.startsWith("org/flywaydb/") || n.startsWith("io/vertx/pgclient/")
              || n.startsWith("io/splitbot/worker/"))
          .limit(5).toList();
      assertEquals(List.of(), forbidden, "webhook-server.jar must stay free of Postgres and handler code");
      assertTrue(jar.getEntry("io/splitbot/edge/routing/RolloutRouter.class") != null);
    }
  }

  private static void check(String dockerfile, String module, Path builtJar) throws Exception {
    List<String> lines = instructions(Files.readString(Blueprint.ROOT.resolve(dockerfile)));
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertEquals(2, from.size(), dockerfile + ": a build stage and a run stage");
    assertTrue(from.get(0).matches("FROM maven:\\S*(temurin|openjdk)\\S*-17\\S* AS build"), from.get(0));
    assertTrue(from.get(1).matches("FROM \\S+:17\\S*-jre\\S*"), "a JRE, not a JDK: " + from.get(1));
    // Temurin's Alpine images are published for amd64 only: the image would not build on Apple Silicon.
    assertFalse(from.get(1).contains("alpine"), "an image published for amd64 and arm64: " + from.get(1));
    int dependencies = indexOf(lines, "RUN mvn .*go-offline.*");
    int firstSource = indexOf(lines, "COPY \\S+/src .*");
    int lastPom = -1;
    for (int i = 0; i < lines.size(); i++) {
      lastPom = lines.get(i).matches("COPY (\\S+/)?pom.xml .*") ? i : lastPom;
    }
    assertTrue(lastPom >= 0 && lastPom < dependencies && dependencies < firstSource,
        dockerfile + ": the poms, then the dependencies as a layer of their own, then the sources");
    // Maven reads every module of the reactor, even with -pl: a module whose pom is missing fails the build.
    Matcher modules = Pattern.compile("<module>([^<]+)</module>")
        .matcher(Files.readString(Blueprint.ROOT.resolve("pom.xml")));
    while (modules.find()) {
      String copy = "COPY " + modules.group(1) + "/pom.xml " + modules.group(1) + "/";
      assertTrue(lines.contains(copy), dockerfile + " lacks '" + copy + "'");
    }
    assertTrue(lines.stream().anyMatch(l -> l.matches("RUN mvn .*-pl " + module + " -am .*-DskipTests package")),
        dockerfile + ": builds " + module + " and what it needs");

    // COPY sources (from the build context, the repository root) exist; the jar copied out of the build stage is the
    // one the build makes, and it is the one the entrypoint runs.
    String jarInImage = null;
    for (String line : lines) {
      if (!line.startsWith("COPY ")) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
      if (args.get(0).startsWith("--from=")) {
        assertEquals("--from=build", args.get(0));
        String source = args.get(1);
        assertEquals("/src/" + Blueprint.ROOT.relativize(builtJar.toAbsolutePath().normalize()), source,
            dockerfile + " copies the jar the build makes");
        jarInImage = args.get(2);
        continue;
      }
      for (String source : args.subList(0, args.size() - 1)) {
        assertTrue(Files.exists(Blueprint.ROOT.resolve(source)), dockerfile + ": COPY source " + source + " does not exist");
      }
    }
    assertTrue(Files.exists(builtJar), builtJar + " is built");
    assertEquals(module + ".jar", builtJar.getFileName().toString());
    String pom = Files.readString(Blueprint.ROOT.resolve(module + "/pom.xml"));
    assertTrue(pom.contains("<artifactId>" + module + "</artifactId>"), "the shaded jar is named after the artifactId");
    assertEquals("/app/" + module + ".jar", jarInImage);

    // The JVM flags are jvm.options's, the file the README and the tests run the jars with, copied into the image.
    assertTrue(lines.contains("COPY jvm.options /app/jvm.options"), dockerfile + " copies jvm.options");
    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    assertTrue(entrypoint.startsWith("ENTRYPOINT [\"java\", \"@/app/jvm.options\", "), entrypoint);
    assertTrue(entrypoint.contains("\"" + jarInImage + "\""), entrypoint);
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertFalse(user.matches("USER (root|0)(:.*)?"), dockerfile + " runs as root");
    assertTrue(lines.indexOf(user) > lines.indexOf(from.get(1)), "the run stage sets the user");
    assertTrue(lines.stream().anyMatch(l -> l.matches("HEALTHCHECK .*CMD .*/health/live.*")), dockerfile + ": a HEALTHCHECK");
  }

  private static int indexOf(List<String> lines, String regex) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches(regex)) {
        return i;
      }
    }
    return -1;
  }

  /** The Dockerfile's instructions, continuation lines joined and comments dropped. */
  static List<String> instructions(String dockerfile) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : dockerfile.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
        continue;
      }
      boolean continued = line.endsWith("\\");
      current.append(continued ? line.substring(0, line.length() - 1) : line).append(continued ? " " : "");
      if (!continued) {
        out.add(current.toString().replaceAll("\\s+", " ").trim());
        current.setLength(0);
      }
    }
    return out;
  }

  static String firstGroup(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
