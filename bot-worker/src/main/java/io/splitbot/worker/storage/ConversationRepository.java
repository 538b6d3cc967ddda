package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.ConversationState;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Conversation state, keyed by {@link ConversationState#key(long, long)}. The data JSON round-trips exactly. */
public final class ConversationRepository {
  private final Storage storage;

  public ConversationRepository(Storage storage) {
    this.storage = storage;
  }

  public Future<Optional<ConversationState>> get(String key) {
    return storage.records(Kinds.CONVERSATIONS).get(key).map(Optional::ofNullable);
  }

  /** Inserts or replaces the state; updated_at is set to now (never before the previous one). */
  public Future<ConversationState> put(ConversationState s) {
    return storage.update(List.of(Tx.ref(Kinds.CONVERSATIONS, s.key())), tx -> {
      ConversationState previous = tx.get(Kinds.CONVERSATIONS, s.key());
      ConversationState stored = new ConversationState(s.key(), s.step(), s.dataJson(),
          Values.bump(previous == null ? null : previous.updatedAt()));
      tx.put(Kinds.CONVERSATIONS, stored);
      return stored;
    });
  }

  /** True when there was a state to delete. */
  public Future<Boolean> delete(String key) {
    return storage.update(List.of(Tx.ref(Kinds.CONVERSATIONS, key)), tx -> {
      boolean found = tx.get(Kinds.CONVERSATIONS, key) != null;
      if (found) {
        tx.delete(Kinds.CONVERSATIONS, key);
      }
      return found;
    });
  }
}
