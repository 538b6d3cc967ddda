package io.splitbot.edge.routing;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.shared.rollout.RolloutBuckets;

/**
 * Decides, per chat, whether an update goes to the new worker or to the legacy bot (strangler migration).
 *
 * <p>Each chat key falls into one of the {@link RolloutBuckets} by a stable 64-bit hash. A chat goes to the new worker when its bucket is below
 * {@code ROLLOUT_PERCENTAGE × 100}. The hash depends only on the chat key, so a chat keeps its route from one update,
 * process or machine to the next, and raising the percentage only adds buckets: a chat already on the new worker
 * never goes back. {@code ROLLOUT_ALLOW_CHATS} always go to the new worker, {@code USE_LEGACY=true} sends everything
 * to legacy, and without {@code LEGACY_WEBHOOK_URL} everything goes to the new worker.
 */
public final class RolloutRouter {
  public static final int BUCKETS = RolloutBuckets.BUCKETS;

  private final SplitbotConfig.Routing routing;
  private final int threshold;

  public RolloutRouter(SplitbotConfig.Routing routing) {
    this.routing = routing;
    this.threshold = routing.rolloutBasisPoints();
  }

  /** {@link UpdateEnvelope#ROUTE_WORKER} or {@link UpdateEnvelope#ROUTE_LEGACY}. */
  public String route(String chatKey) {
    if (!routing.enabled()) {
      return UpdateEnvelope.ROUTE_WORKER;
    }
    if (routing.useLegacy()) {
      return UpdateEnvelope.ROUTE_LEGACY;
    }
    if (routing.allowChats().contains(chatKey)) {
      return UpdateEnvelope.ROUTE_WORKER;
    }
    return bucket(chatKey) < threshold ? UpdateEnvelope.ROUTE_WORKER : UpdateEnvelope.ROUTE_LEGACY;
  }

  public boolean enabled() {
    return routing.enabled();
  }

  /** The chat's bucket, 0..9999; the same for a chat key everywhere and always ({@link RolloutBuckets}). */
  public static int bucket(String chatKey) {
    return RolloutBuckets.bucket(chatKey);
  }
}
