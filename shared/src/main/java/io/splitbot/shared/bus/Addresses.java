package io.splitbot.shared.bus;

/** Event-bus addresses shared by the edge and the worker. */
public final class Addresses {
  /** Request-reply: body is an {@link io.splitbot.shared.update.UpdateEnvelope} as JSON; reply is a {@link HandleReply}. */
  public static final String WORKER_UPDATES = "splitbot.worker.updates";
  /** Request-reply readiness probe answered by every worker with {@code {"worker":nodeId}}. */
  public static final String WORKER_PING = "splitbot.worker.ping";

  private Addresses() {
  }
}
