package io.splitbot.shared.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MemberTest {

  @Test
  void ofTwoThatRaceExactlyOneIsNewerByStartTimeThenNodeId() {
    Member early = new Member("zzz", Member.WORKER, 1_000, 0, false);
    Member late = new Member("aaa", Member.WORKER, 1_001, 0, false);
    assertTrue(late.newerThan(early));
    assertFalse(early.newerThan(late));
    Member sameMsSmallId = new Member("aaa", Member.WORKER, 1_000, 0, false);
    assertTrue(early.newerThan(sameMsSmallId), "same millisecond: the larger node id is newer");
    assertFalse(sameMsSmallId.newerThan(early));
  }

  @Test
  void ofTwoWhoseStateIsTheirOwnTheNewerStopsAndTheOlderGoesOn() {
    Member older = new Member("aaa", Member.WORKER, 1_000, 0, false);
    Member newer = new Member("bbb", Member.WORKER, 2_000, 0, false);
    assertTrue(newer.mustStopFor(older));
    assertFalse(older.mustStopFor(newer));
  }

  @Test
  void onlyAMemberWhoseStateIsItsOwnStopsAndOnlyForAnotherOfItsRole() {
    Member ownState = new Member("aaa", Member.WORKER, 1_000, 0, false);
    Member sharedNewer = new Member("bbb", Member.WORKER, 2_000, 0, true);
    assertTrue(ownState.mustStopFor(sharedNewer), "it cannot run beside anyone; the shared one can go on alone");
    assertFalse(sharedNewer.mustStopFor(ownState), "a worker with Redis never refuses");
    Member edge = new Member("ccc", Member.EDGE, 500, 0, false);
    assertFalse(ownState.mustStopFor(edge), "an edge is not a second worker");
    assertFalse(edge.mustStopFor(ownState));
    Member sameNodeEdge = new Member("aaa", Member.EDGE, 1_000, 0, false);
    assertFalse(ownState.mustStopFor(new Member("aaa", Member.WORKER, 0, 0, true)), "itself");
    assertFalse(sameNodeEdge.mustStopFor(ownState), "BOT_ROLE=all: one edge and one worker");
  }

  @Test
  void aHeartbeatRoundTripsAndAnythingElseIsRefused() {
    Member m = new Member("aaa", Member.EDGE, 1_000, 4, true);
    assertEquals(m, Member.fromJson(m.toJson()));
    for (JsonObject bad : new JsonObject[] {new JsonObject(), new JsonObject().put("node", "x").put("role", "boss")}) {
      try {
        Member.fromJson(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        // not a heartbeat
      }
    }
  }
}
