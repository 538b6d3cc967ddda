package io.splitbot.worker.storage.migration;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The migration's own records, kept in the primary's runtime key-value store {@value #STORE} (a name with a dot, so
 * no bot can reach it), where every worker and every restart sees them: the marker {@value #DONE} (a migration from
 * the secondary into the primary completed with an integrity check of 100%: reads may come from the primary), the
 * lease {@value #LEASE} ({@link MigrationLease}) and the auto migration's checkpoint {@value #CHECKPOINT}. They
 * describe the migration, not the bot's data, so migrating, validating and repairing pass them by.
 */
public final class MigrationState {
  public static final String STORE = "splitbot.migration";
  public static final String DONE = "done";
  public static final String LEASE = "lease";
  public static final String CHECKPOINT = "checkpoint";
  private static final String PREFIX = KeyValueEntry.recordKey(STORE, "");

  private MigrationState() {
  }

  /** True for a record of {@value #STORE}: not the bot's data, never copied or compared. */
  public static boolean isBookkeeping(Kind<?> kind, String key) {
    return kind == Kinds.KEY_VALUE && key != null && key.startsWith(PREFIX);
  }

  public static KeyValueStore store(Storage primary) {
    return primary.keyValue(STORE);
  }

  /** The marker, or null while the migration is owed. */
  public static Future<JsonObject> marker(Storage primary) {
    return store(primary).get(DONE);
  }

  /** Writes the marker: {@code from} was migrated into {@code to} at {@code integrity}% over {@code records}, by whom. */
  public static Future<JsonObject> markDone(Storage primary, String from, String to, double integrity, long records,
      String by) {
    JsonObject marker = new JsonObject().put("from", from).put("to", to).put("integrity", integrity)
        .put("records", records).put("by", by).put("at", Values.format(Values.now()));
    return store(primary).put(DONE, marker).map(marker);
  }
}
