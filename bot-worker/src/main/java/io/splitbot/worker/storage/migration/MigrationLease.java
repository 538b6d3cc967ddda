package io.splitbot.worker.storage.migration;

import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Who may run the auto migration: one record in the primary ({@link MigrationState#LEASE}) with the holder's id and
 * an expiry, taken and renewed through {@link Storage#apply} (a row lock in PostgreSQL, a unique key when it is
 * first created), so two workers starting together never both hold it. The holder renews it well before it lapses;
 * a holder that died stops renewing and another worker takes it over once it has expired, then resumes from the
 * checkpoint. Expiry is wall-clock time, so the workers' clocks must agree to well within the lease's length.
 */
public final class MigrationLease {
  /** The lease as it stands after an attempt: whether {@code owner} holds it, and who does. */
  public record Holder(boolean held, String owner, long expiresAt) {
  }

  private static final String KEY = KeyValueEntry.recordKey(MigrationState.STORE, MigrationState.LEASE);

  private final Storage primary;
  private final String owner;
  private final long ttlMs;
  private final LongSupplier clock;

  /** @param clock milliseconds since the epoch (System::currentTimeMillis; a test's own clock) */
  public MigrationLease(Storage primary, String owner, long ttlMs, LongSupplier clock) {
    this.primary = primary;
    this.owner = owner;
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  public String owner() {
    return owner;
  }

  public long ttlMs() {
    return ttlMs;
  }

  /**
   * Takes the lease when it is free or lapsed, renews it when this owner holds it; otherwise leaves it and answers
   * who holds it. Two callers racing for a lease that does not exist yet: one creates it, the other gets its holder.
   */
  public Future<Holder> acquire() {
    return primary.update(List.of(Tx.ref(Kinds.KEY_VALUE, KEY)), tx -> {
      KeyValueEntry current = tx.get(Kinds.KEY_VALUE, KEY);
      long now = clock.getAsLong();
      if (current != null) {
        String holder = current.value().getString("owner");
        long expires = current.value().getLong("expires_at", 0L);
        if (!owner.equals(holder) && expires > now) {
          return new Holder(false, holder, expires);
        }
      }
      KeyValueEntry mine = entry(now + ttlMs);
      if (current == null) {
        tx.insert(Kinds.KEY_VALUE, mine);
      } else {
        tx.put(Kinds.KEY_VALUE, mine);
      }
      return new Holder(true, owner, now + ttlMs);
    }).recover(e -> e instanceof DuplicateKeyException ? holder() : Future.failedFuture(e));
  }

  /** Gives the lease up when this owner holds it (the migration ended): another worker need not wait for it to lapse. */
  public Future<Void> release() {
    return primary.update(List.of(Tx.ref(Kinds.KEY_VALUE, KEY)), tx -> {
      KeyValueEntry current = tx.get(Kinds.KEY_VALUE, KEY);
      if (current != null && owner.equals(current.value().getString("owner"))) {
        tx.put(Kinds.KEY_VALUE, entry(0));
      }
      return null;
    }).mapEmpty();
  }

  /** Who holds the lease now (held: this owner, and not lapsed); an empty holder when there is none. */
  public Future<Holder> holder() {
    return MigrationState.store(primary).get(MigrationState.LEASE).map(v -> {
      if (v == null) {
        return new Holder(false, null, 0);
      }
      long expires = v.getLong("expires_at", 0L);
      String holder = v.getString("owner");
      return new Holder(owner.equals(holder) && expires > clock.getAsLong(), holder, expires);
    });
  }

  private KeyValueEntry entry(long expiresAt) {
    return new KeyValueEntry(MigrationState.STORE, MigrationState.LEASE,
        new JsonObject().put("owner", owner).put("expires_at", expiresAt), null);
  }
}
