package io.splitbot.worker.storage.model;

import java.time.Instant;

/** A Telegram update id that has been handled; the key is unique in every backend. */
public record ProcessedUpdate(long updateId, Instant handledAt) {
  public ProcessedUpdate {
    handledAt = handledAt == null ? Values.now() : Values.millis(handledAt);
  }
}
