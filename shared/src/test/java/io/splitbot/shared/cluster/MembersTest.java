package io.splitbot.shared.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One process in both roles (BOT_ROLE=all, a local bus): an edge and a worker, each seeing both, asked directly. */
class MembersTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void anEdgeAndAWorkerInOneProcessSeeEachOtherAndAnswerAtTheirOwnAddress() throws Exception {
    Members worker = Members.join(vertx, Member.WORKER, false, () -> 2,
        () -> Future.succeededFuture(new JsonObject().put("kind", "worker"))).await();
    Members edge = Members.join(vertx, Member.EDGE, false, () -> 5,
        () -> Future.succeededFuture(new JsonObject().put("kind", "edge"))).await();
    waitFor(() -> worker.live().size() == 2 && edge.live().size() == 2, "each sees both");
    assertEquals(NodeId.of(vertx), edge.self().node());
    assertEquals(List.of(Member.EDGE, Member.WORKER), worker.toJson().stream()
        .map(o -> ((JsonObject) o).getString("role")).toList());
    JsonObject asked = worker.ask(worker.live(Member.EDGE).get(0), 1_000).await();
    assertEquals("edge", asked.getString("kind"));
    assertEquals(5, asked.getJsonObject("member").getInteger("in_flight"));
    JsonObject listed = worker.toJson().getJsonObject(0);
    assertTrue(java.time.Instant.parse(listed.getString("last_seen")).isAfter(java.time.Instant.now().minusSeconds(10)));
    assertEquals(java.util.Set.of("node", "role", "started_at", "in_flight", "shared", "last_seen"), listed.fieldNames(),
        "role, node id, in-flight count, last seen: no host");

    edge.leave().await();
    waitFor(() -> worker.live(Member.EDGE).isEmpty(), "the edge left: forgotten at once");
  }

  @Test
  void twoWorkersWithoutRedisThatMissedEachOtherAtStartLeaveTheOlderRunning() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Refusal.onLate(vertx, lines::add);
    // On a local bus nobody pings: like two that started in the same instant, each finds no one at start.
    Members older = Members.join(vertx, "aaaaaaaaaaaa", Member.WORKER, false, () -> 0, Future::succeededFuture).await();
    Members newer = Members.join(vertx, "bbbbbbbbbbbb", Member.WORKER, false, () -> 0, Future::succeededFuture).await();
    waitFor(() -> !lines.isEmpty(), "the heartbeats show each to the other");
    assertEquals(List.of(Refusal.WORKER_LINE), lines);
    assertTrue(newer.refused() && !older.refused(), "the newer one stops, the older goes on");

    Members withRedis = Members.join(vertx, "cccccccccccc", Member.WORKER, true, () -> 0, Future::succeededFuture).await();
    waitFor(() -> older.refused(), "a worker without Redis stops when one with Redis joins");
    assertTrue(!withRedis.refused(), "a worker with Redis never stops for this");
    assertEquals(List.of(Refusal.WORKER_LINE, Refusal.WORKER_LINE), lines);
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(10);
    }
  }
}
