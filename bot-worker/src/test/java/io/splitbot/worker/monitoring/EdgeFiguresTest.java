package io.splitbot.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeFiguresTest {

  @Test
  void countsAddUpAcrossEdgesAndEachEdgeKeepsItsOwn() {
    JsonObject sum = EdgeFigures.sum(List.of(edge("file", 3, 12), edge("file", 4, 7)));
    assertEquals(19, sum.getJsonObject("totals").getLong("acked"));
    assertEquals(7, sum.getJsonObject("spool").getLong("depth"), "two journals: their depths add up");
    assertEquals(100, sum.getJsonObject("spool").getLong("max"), "a limit is not a count");
    assertEquals(2, sum.getJsonArray("edges").size());
  }

  @Test
  void aSharedRedisSpoolIsCountedOnceNotOncePerEdge() {
    // Both edges report the whole shared spool; one may be a moment behind.
    JsonObject sum = EdgeFigures.sum(List.of(edge("redis", 5, 12), edge("redis", 4, 7)));
    assertEquals(5, sum.getJsonObject("spool").getLong("depth"));
    assertEquals(19, sum.getJsonObject("totals").getLong("acked"));
  }

  @Test
  void theRoutingSettingsAreNotAddedUpAndTheAckLatenciesAre() {
    JsonObject a = edge("file", 0, 1).put("routing", routing()).put("ack_latency", latency(2, 1));
    JsonObject b = edge("file", 0, 1).put("routing", routing()).put("ack_latency", latency(3, 4));
    JsonObject sum = EdgeFigures.sum(List.of(a, b));
    assertEquals(routing(), sum.getJsonObject("routing"), "each edge has the same settings");
    assertEquals(latency(5, 5), sum.getJsonObject("ack_latency"), "the buckets add up key by key");
  }

  private static JsonObject routing() {
    return new JsonObject().put("enabled", true).put("use_legacy", false).put("rollout_basis_points", 2_500)
        .put("allowed_chats", 2);
  }

  private static JsonObject latency(long fast, long slow) {
    return new JsonObject().put("count", fast + slow)
        .put("buckets", new JsonObject().put("1.0", fast).put("89.478485", slow));
  }

  private static JsonObject edge(String kind, long depth, long acked) {
    return new JsonObject()
        .put("totals", new JsonObject().put("acked", acked))
        .put("spool", new JsonObject().put("kind", kind).put("depth", depth).put("max", 100));
  }
}
