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

  private static JsonObject edge(String kind, long depth, long acked) {
    return new JsonObject()
        .put("totals", new JsonObject().put("acked", acked))
        .put("spool", new JsonObject().put("kind", kind).put("depth", depth).put("max", 100));
  }
}
