package io.splitbot.shared.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemberViewTest {
  private static final long BEAT = Members.BEAT_MS;

  @Test
  void aMemberIsForgottenOnceItMissedThreeBeatsAndKeptWhileItBeats() {
    MemberView view = new MemberView(Members.MISSED_BEATS * BEAT + BEAT / 2);
    Member edge = new Member("aaa", Member.EDGE, 1_000, 0, true);
    Member worker = new Member("bbb", Member.WORKER, 2_000, 3, true);
    long t = 10_000;
    assertTrue(view.heard(edge, t), "new");
    assertTrue(view.heard(worker, t));
    assertFalse(view.heard(edge, t + BEAT), "known");
    // The worker beats on; the edge falls silent after its beat at t + BEAT.
    for (long at = t + BEAT; at <= t + 5 * BEAT; at += BEAT) {
      view.heard(worker, at);
    }
    assertEquals(List.of("aaa", "bbb"), nodes(view.live(t + 4 * BEAT)), "two beats missed: still there");
    assertEquals(List.of("bbb"), nodes(view.live(t + 5 * BEAT)), "three missed: forgotten");
    assertTrue(view.heard(edge, t + 6 * BEAT), "back after being forgotten: new again");
  }

  @Test
  void aMemberThatLeavesGoesAtOnce() {
    MemberView view = new MemberView(10_000);
    Member edge = new Member("aaa", Member.EDGE, 1_000, 0, true);
    view.heard(edge, 0);
    view.left(edge);
    assertEquals(List.of(), view.live(1));
  }

  @Test
  void oneProcessInBothRolesIsTwoMembersListedByRoleThenAge() {
    MemberView view = new MemberView(10_000);
    view.heard(new Member("ccc", Member.WORKER, 5_000, 0, true), 0);
    view.heard(new Member("aaa", Member.WORKER, 1_000, 0, true), 0);
    view.heard(new Member("aaa", Member.EDGE, 1_000, 0, true), 0);
    List<MemberView.Seen> live = view.live(1);
    assertEquals(List.of("edge/aaa", "worker/aaa", "worker/ccc"),
        live.stream().map(s -> s.member().role() + "/" + s.member().node()).toList());
  }

  private static List<String> nodes(List<MemberView.Seen> seen) {
    return seen.stream().map(s -> s.member().node()).toList();
  }
}
