package io.splitbot.tests.scale;

import io.splitbot.testkit.ClusterCertificates;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.WorkerMain;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * E webhook-server.jar edges and W workers as separate JVMs on one clustered event bus on loopback, all on one real
 * Redis (a database of their own, emptied first) with the partitioned Redis spool, as several instances run on
 * Render. Each member keeps its ports and folder across a kill and restart, as an instance does.
 *
 * <p>Workers run the real {@link WorkerMain} with {@link EchoModule} as their bot ({@code BOT_MODULE}), from the
 * test class path: /echo answers at once, /slow after two seconds.
 */
final class ScaleCluster implements AutoCloseable {
  /** The Redis database the scale-out tests own; nothing else in the build uses it. */
  static final String REDIS_URL = "redis://127.0.0.1:6379/9";

  private final Path dir;
  private final List<Map<String, String>> edgeEnvs = new ArrayList<>();
  private final List<Map<String, String>> workerEnvs = new ArrayList<>();
  private final JvmProcess[] edges;
  private final JvmProcess[] workers;
  private final int[] restarts;

  /** {@code tune} may change every member's environment (a rate, a timeout) before any starts. */
  ScaleCluster(String apiUrl, Path dir, int edgeCount, int workerCount, Consumer<Map<String, String>> tune) {
    this.dir = dir;
    int members = edgeCount + workerCount;
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      clusterPorts.add(TestEnv.freePort());
    }
    String memberList = String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList());
    for (int i = 0; i < members; i++) {
      boolean edge = i < edgeCount;
      String name = edge ? "edge" + (i + 1) : "worker" + (i - edgeCount + 1);
      Map<String, String> env = new HashMap<>(TestEnv.webhookEnv(apiUrl, dir.resolve(name)));
      env.put("CLUSTER_PORT", String.valueOf(clusterPorts.get(i)));
      env.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
      env.put("CLUSTER_MEMBERS", memberList);
      env.putAll(ClusterCertificates.shared().env());
      env.put("REDIS_URL", REDIS_URL);
      env.put("SPOOL", "redis");
      // The shared Redis keeps nothing on disk; the tests that need an AOF start their own server.
      env.put("SPOOL_REDIS_VOLATILE", "true");
      // A forward to a killed worker is given up after this, and tried on another.
      env.put("FORWARD_TIMEOUT_MS", "4000");
      // Five JVMs starting on two cores can leave a Redis answer unread for seconds; the default 2 s would make an
      // edge give up its start-up check of Redis (the check itself is the product's, tested elsewhere).
      env.put("REDIS_COMMAND_TIMEOUT_MS", "10000");
      env.put("BOT_MODULE", EchoModule.class.getName());
      if (!edge) {
        env.put("BOT_ROLE", "worker");
      }
      tune.accept(env);
      (edge ? edgeEnvs : workerEnvs).add(env);
    }
    this.edges = new JvmProcess[edgeCount];
    this.workers = new JvmProcess[workerCount];
    this.restarts = new int[members];
  }

  /** Empties the tests' Redis database: spool partitions, leases, claims, dedup marks and the throttle's buckets. */
  static void flushRedis(Vertx vertx) {
    Redis redis = Redis.createClient(vertx, REDIS_URL);
    try {
      redis.send(Request.cmd(Command.FLUSHDB)).await();
    } finally {
      redis.close();
    }
  }

  /** Starts every member and waits until each worker is live and each edge ready (it reaches a worker). */
  ScaleCluster start() throws Exception {
    // Workers first, then the edges: fewer JVMs booting at once on a small machine.
    for (int i = 0; i < workers.length; i++) {
      startWorker(i);
    }
    for (int i = 0; i < workers.length; i++) {
      awaitWorker(i);
    }
    for (int i = 0; i < edges.length; i++) {
      startEdge(i);
    }
    for (int i = 0; i < edges.length; i++) {
      awaitEdge(i);
    }
    return this;
  }

  void startEdge(int i) throws Exception {
    edges[i] = JvmProcess.start(name("edge", i), JvmProcess.edgeJar(), edgeEnvs.get(i), dir);
  }

  void startWorker(int i) throws Exception {
    workers[i] = JvmProcess.startMain(name("worker", i + edges.length), WorkerMain.class, workerEnvs.get(i), dir);
  }

  /** A restarted member writes a log of its own, so the first life's output stays readable. */
  private String name(String role, int member) {
    int index = role.equals("edge") ? member : member - edges.length;
    String base = role + (index + 1);
    return restarts[member] == 0 ? base : base + "-restart" + restarts[member];
  }

  void awaitEdge(int i) throws Exception {
    edges[i].awaitHttp("http://127.0.0.1:" + edgePort(i) + "/health/ready", 200, Duration.ofSeconds(120));
  }

  void awaitWorker(int i) throws Exception {
    workers[i].awaitHttp("http://127.0.0.1:" + workerEnvs.get(i).get("WORKER_PORT") + "/health/live", 200, Duration.ofSeconds(120));
  }

  void killWorker(int i) throws InterruptedException {
    workers[i].kill();
    restarts[edges.length + i]++;
  }

  void killEdge(int i) throws InterruptedException {
    edges[i].kill();
    restarts[i]++;
  }

  int edgePort(int i) {
    return Integer.parseInt(edgeEnvs.get(i).get("PORT"));
  }

  List<Integer> edgePorts() {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < edges.length; i++) {
      ports.add(edgePort(i));
    }
    return ports;
  }

  String workerUrl(int i) {
    return "http://127.0.0.1:" + workerEnvs.get(i).get("WORKER_PORT");
  }

  JvmProcess edge(int i) {
    return edges[i];
  }

  JvmProcess worker(int i) {
    return workers[i];
  }

  /** Every log line every member has written so far, in every life. */
  String allOutput() {
    StringBuilder all = new StringBuilder();
    try (var files = java.nio.file.Files.list(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        all.append(java.nio.file.Files.readString(log)).append('\n');
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return all.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (JvmProcess p : edges) {
      if (p != null) {
        p.close();
      }
    }
    for (JvmProcess p : workers) {
      if (p != null) {
        p.close();
      }
    }
  }
}
