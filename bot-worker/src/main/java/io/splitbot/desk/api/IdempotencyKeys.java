package io.splitbot.desk.api;

import io.splitbot.desk.DeskService;
import io.splitbot.desk.DeskService.Reserved;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code Idempotency-Key} of {@code POST /api/v1/bot/requests/create}: the first answer under a key is kept
 * for {@link #KEEP} and a retry gets it back, without a second request.
 *
 * <p>The record lives in the configured storage, in the runtime's key-value store {@value #STORE}, so it survives a
 * restart and every worker sees it. Claiming a key is one storage change that reads the record (locked) and inserts
 * or replaces it, so of two concurrent first calls exactly one owns the key; the other is told the key is busy
 * (409). The owner keeps the request number it reserved in the claim before creating; a worker that dies mid-way
 * leaves a claim that a retry takes over after {@link #CLAIM_TIMEOUT}, and the same number and creation time make
 * the desk find the request already stored instead of creating another.
 */
final class IdempotencyKeys {
  static final String STORE = "desk.idempotency";
  static final String HEADER = "Idempotency-Key";
  static final int KEY_MAX = 128;
  static final Duration KEEP = Duration.ofHours(24);
  static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
  static final int SWEEP_PAGE = 100;

  /** What a claim found. */
  sealed interface Claim {
  }

  /** The key is this call's: create under {@code reservation}, then {@link #remember}. */
  record Owned(String key, JsonObject record, DeskService.Reservation reservation) implements Claim {
  }

  /** The key already has its answer. */
  record Replay(int status, JsonObject body) implements Claim {
  }

  /** The key was used with another body. */
  record Mismatch() implements Claim {
  }

  /** Another call holds the key and has not answered yet. */
  record Busy() implements Claim {
  }

  private final Storage storage;
  private final DeskService desk;

  IdempotencyKeys(Storage storage, DeskService desk) {
    this.storage = storage;
    this.desk = desk;
  }

  /** A header value is 1 to {@link #KEY_MAX} printable ASCII characters (space to ~). */
  static boolean valid(String key) {
    if (key == null || key.isEmpty() || key.length() > KEY_MAX) {
      return false;
    }
    return key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
  }

  /** The fingerprint of a body: the SHA-256 of its JSON as parsed, so spacing does not count. */
  static String fingerprint(JsonObject body) {
    return sha256(body.encode());
  }

  Future<Claim> claim(String key, String fingerprint) {
    return claim(sha256(key), fingerprint, true);
  }

  private Future<Claim> claim(String stored, String fingerprint, boolean retryOnRace) {
    String recordKey = KeyValueEntry.recordKey(STORE, stored);
    return storage.<Claim>update(List.of(Tx.ref(Kinds.KEY_VALUE, recordKey)), tx -> {
      KeyValueEntry found = tx.get(Kinds.KEY_VALUE, recordKey);
      long now = System.currentTimeMillis();
      JsonObject live = found != null && found.value().getLong("expires_at", 0L) > now ? found.value() : null;
      if (live != null) {
        if (!fingerprint.equals(live.getString("fingerprint"))) {
          return new Mismatch();
        }
        if ("done".equals(live.getString("state"))) {
          return new Replay(live.getInteger("status"), live.getJsonObject("body"));
        }
        if (live.getLong("claimed_at", 0L) + CLAIM_TIMEOUT.toMillis() > now) {
          return new Busy();
        }
      }
      // a first call, or a claim its worker left behind: keep that claim's number
      JsonObject record = live != null ? live.copy()
          : new JsonObject().put("fingerprint", fingerprint).put("state", "pending").put("expires_at", now + KEEP.toMillis());
      record.put("claimed_at", now);
      KeyValueEntry entry = new KeyValueEntry(STORE, stored, record, null);
      if (found == null) {
        tx.insert(Kinds.KEY_VALUE, entry);
      } else {
        tx.put(Kinds.KEY_VALUE, entry);
      }
      return new Owned(stored, record, reservation(stored, record));
    }).recover(e -> e instanceof DuplicateKeyException && retryOnRace
        ? claim(stored, fingerprint, false) // another call inserted the claim first: read what it holds
        : Future.failedFuture(e));
  }

  /** The created request's answer, kept for the rest of the key's 24 hours. */
  Future<Void> remember(Owned owned, int status, JsonObject body) {
    JsonObject record = owned.record().copy().put("state", "done").put("status", status).put("body", body);
    return storage.keyValue(STORE).put(owned.key(), record);
  }

  /** The create failed: a retry may take the claim over at once, with the number it holds. */
  Future<Void> release(Owned owned) {
    return storage.keyValue(STORE).put(owned.key(), owned.record().copy().put("claimed_at", 0L));
  }

  /**
   * Deletes the records whose 24 hours are over, a page at a time; each delete checks the expiry again in one
   * change, so a key claimed anew in the meantime stays.
   */
  Future<Integer> sweep() {
    return sweep(null, 0);
  }

  private Future<Integer> sweep(String after, int deleted) {
    long now = System.currentTimeMillis();
    return storage.keyValue(STORE).list("", after, SWEEP_PAGE).compose(page -> {
      Future<Integer> done = Future.succeededFuture(deleted);
      for (var e : page) {
        if (e.value().getLong("expires_at", 0L) <= now) {
          String recordKey = KeyValueEntry.recordKey(STORE, e.key());
          done = done.compose(n -> storage.update(List.of(Tx.ref(Kinds.KEY_VALUE, recordKey)), tx -> {
            KeyValueEntry current = tx.get(Kinds.KEY_VALUE, recordKey);
            if (current != null && current.value().getLong("expires_at", 0L) <= now) {
              tx.delete(Kinds.KEY_VALUE, recordKey);
              return n + 1;
            }
            return n;
          }));
        }
      }
      return page.size() < SWEEP_PAGE ? done : done.compose(n -> sweep(page.get(page.size() - 1).key(), n));
    });
  }

  /** The claim's number, reserved (and written into the claim) before the request is stored under it. */
  private DeskService.Reservation reservation(String stored, JsonObject record) {
    return new DeskService.Reservation() {
      @Override
      public Future<Reserved> current() {
        String number = record.getString("number");
        return number != null
            ? Future.succeededFuture(new Reserved(number, Instant.ofEpochMilli(record.getLong("created_at"))))
            : renew();
      }

      @Override
      public Future<Reserved> renew() {
        Instant at = Values.now();
        return desk.nextNumber().compose(n -> {
          record.put("number", n).put("created_at", at.toEpochMilli());
          return storage.keyValue(STORE).put(stored, record).map(new Reserved(n, at));
        });
      }
    };
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
