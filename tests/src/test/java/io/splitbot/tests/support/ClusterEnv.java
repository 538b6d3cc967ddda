package io.splitbot.tests.support;

import io.splitbot.testkit.ClusterCertificates;
import java.nio.file.Path;
import java.util.Map;

/**
 * Environments for an edge and a worker that find each other over the cluster engine's static member list on
 * 127.0.0.1, secured as in production (one cluster certificate, made at test time): the secured path is what every
 * clustered test exercises.
 */
public record ClusterEnv(Map<String, String> edge, Map<String, String> worker) {

  public static ClusterEnv create(String apiUrl, Path dir) {
    int edgeCluster = TestEnv.freePort();
    int workerCluster = TestEnv.freePort();
    String members = "127.0.0.1:" + edgeCluster + ",127.0.0.1:" + workerCluster;

    Map<String, String> edge = TestEnv.webhookEnv(apiUrl, dir.resolve("edge"));
    edge.put("CLUSTER_PORT", String.valueOf(edgeCluster));
    edge.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    edge.put("CLUSTER_MEMBERS", members);
    edge.putAll(ClusterCertificates.shared().env());

    Map<String, String> worker = TestEnv.webhookEnv(apiUrl, dir.resolve("worker"));
    worker.put("BOT_ROLE", "worker");
    worker.put("CLUSTER_PORT", String.valueOf(workerCluster));
    worker.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    worker.put("CLUSTER_MEMBERS", members);
    worker.putAll(ClusterCertificates.shared().env());
    return new ClusterEnv(edge, worker);
  }

  public int edgePort() {
    return Integer.parseInt(edge.get("PORT"));
  }

  public int workerPort() {
    return Integer.parseInt(worker.get("WORKER_PORT"));
  }

  public String edgeReadyUrl() {
    return "http://127.0.0.1:" + edgePort() + "/health/ready";
  }
}
