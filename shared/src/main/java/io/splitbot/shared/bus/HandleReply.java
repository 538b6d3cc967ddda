package io.splitbot.shared.bus;

import io.vertx.core.json.JsonObject;

/**
 * The worker's answer to a forwarded update. Every outcome here is final, so the edge may drop the update from
 * its spool; a worker that cannot finish an update fails the request instead and the edge retries.
 */
public enum HandleReply {
  /** The handlers ran to the end. */
  HANDLED,
  /** Seen before within the dedup window; nothing ran again. */
  DUPLICATE,
  /** The handlers failed MAX_HANDLER_ATTEMPTS times; the update is kept in the dead-letter store. */
  DEAD_LETTERED;

  /** Failure code a worker uses while it is shutting down or overloaded: retry later. */
  public static final int RETRY_LATER = 503;
  /**
   * Failure code for a forward whose {@link SpoolFence} is stale: another edge holds the update's spool partition now
   * and delivers it. The edge drops the update from its queue, spends no attempt and leaves it in the spool.
   */
  public static final int NOT_YOURS = 409;

  private final String outcome = name().toLowerCase() + " by the worker";

  /** "handled by the worker": how the edge logs it. */
  public String outcome() {
    return outcome;
  }

  public JsonObject toJson() {
    return new JsonObject().put("status", name().toLowerCase());
  }

  public static HandleReply fromJson(JsonObject json) {
    return valueOf(json.getString("status").toUpperCase());
  }
}
