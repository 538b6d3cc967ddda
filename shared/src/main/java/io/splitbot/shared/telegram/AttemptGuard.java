package io.splitbot.shared.telegram;

import io.vertx.core.Future;

/**
 * Hooks around each HTTP attempt of one Bot API call, so a caller can durably record what may have reached
 * Telegram: {@link #beforeAttempt} completes before the request is written (a failure cancels the attempt), and
 * {@link #notDelivered} follows an attempt that certainly had no effect (a 429, another 4xx, a refused connection).
 */
public interface AttemptGuard {
  AttemptGuard NONE = new AttemptGuard() {
    @Override
    public Future<Void> beforeAttempt() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> notDelivered() {
      return Future.succeededFuture();
    }
  };

  Future<Void> beforeAttempt();

  Future<Void> notDelivered();
}
