package io.splitbot.shared.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members one process has heard from, each with when it was last heard (by this process's clock, so other hosts'
 * clocks do not matter), and a member forgotten once it has missed {@link Members#MISSED_BEATS} heartbeats. Not
 * thread-safe: its owner uses it on one event loop.
 */
public final class MemberView {
  /** A member and when this process last heard it, ms since the epoch. */
  public record Seen(Member member, long lastSeen) {
  }

  private final long expiryMs;
  private final Map<String, Seen> seen = new HashMap<>();

  /** @param expiryMs how long a member stays without a heartbeat */
  public MemberView(long expiryMs) {
    this.expiryMs = expiryMs;
  }

  /** Records a heartbeat; true when the member was not in the view. */
  public boolean heard(Member member, long now) {
    return seen.put(member.key(), new Seen(member, now)) == null;
  }

  /** A member that said it leaves goes at once, without waiting for its beats to be missed. */
  public void left(Member member) {
    seen.remove(member.key());
  }

  /** The members heard within the expiry, by role then age (oldest first); the others are forgotten. */
  public List<Seen> live(long now) {
    seen.values().removeIf(s -> now - s.lastSeen() > expiryMs);
    List<Seen> out = new ArrayList<>(seen.values());
    out.sort(Comparator.comparing((Seen s) -> s.member().role())
        .thenComparing((a, b) -> a.member().newerThan(b.member()) ? 1 : b.member().newerThan(a.member()) ? -1 : 0));
    return out;
  }
}
