package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.ConversationState;
import io.vertx.core.Future;
import java.util.Optional;

/** Conversation state, keyed by {@link ConversationState#key(long, long)}. The data JSON round-trips exactly. */
public interface ConversationRepository {
  Future<Optional<ConversationState>> get(String key);

  /** Inserts or replaces the state; updated_at is set to now. */
  Future<ConversationState> put(ConversationState state);

  /** True when there was a state to delete. */
  Future<Boolean> delete(String key);
}
