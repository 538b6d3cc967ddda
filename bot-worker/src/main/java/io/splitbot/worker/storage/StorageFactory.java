package io.splitbot.worker.storage;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.storage.airtable.AirtableStorage;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.worker.storage.dual.RepairQueue;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.postgres.PgStorage;
import io.splitbot.worker.storage.routed.RoutedStorage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns a {@link StorageConfig} into a {@link Storage}. */
public final class StorageFactory {
  private static final Logger log = LoggerFactory.getLogger(StorageFactory.class);

  private StorageFactory() {
  }

  /** The configured storage, not started yet: call {@link Storage#start()} (or use {@link #open}). */
  public static Storage create(Vertx vertx, StorageConfig config) {
    if (config.backend().equals("dual")) {
      StorageConfig.Dual d = config.dual();
      Storage primary;
      Storage secondary;
      if (d.primary().equals("remote")) {
        secondary = plain(vertx, config, d.secondary(), false);
        primary = module(vertx, config, "remote", secondary, false);
      } else {
        primary = plain(vertx, config, d.primary(), false);
        secondary = d.secondary().equals("remote") ? module(vertx, config, "remote", primary, false)
            : plain(vertx, config, d.secondary(), false);
      }
      return new DualStorage(vertx, primary, secondary, d, config.dualDir());
    }
    return plain(vertx, config, config.backend(), false);
  }

  /**
   * A module's backend ({@link StorageBackend}) for its kinds, the other kinds in {@code local}: the other side of
   * dual storage (which then starts and closes it), or, when {@code ownsLocal}, a plain store of its own.
   */
  private static Storage module(Vertx vertx, StorageConfig config, String name, Storage local, boolean ownsLocal) {
    StorageBackend backend = StorageBackend.byName(name).orElseThrow(() -> new ConfigException("the " + name
        + " backend needs the module that provides it (the desk bot's, in bot-worker.jar)"));
    return new RoutedStorage(backend, backend.create(vertx, config), local, ownsLocal);
  }

  /**
   * One backend for one side (json, postgresql, airtable, or remote with its own local store).
   *
   * @param readOnly for a migration source or a dry run: the JSON store takes no lock and writes nothing,
   *     PostgreSQL applies no migrations, Airtable fills in no defaults
   */
  public static Storage plain(Vertx vertx, StorageConfig config, String backend, boolean readOnly) {
    config.require(backend, "backend");
    return switch (backend) {
      case "json" -> new JsonStorage(vertx, config.jsonDir(), readOnly);
      case "postgresql" -> new PgStorage(vertx, config.postgres(), readOnly);
      case "airtable" -> new AirtableStorage(vertx, config.airtable(), readOnly);
      case "remote" -> module(vertx, config, backend, plain(vertx, config, config.remote().local(), readOnly), true);
      default -> throw new IllegalArgumentException("not a plain backend: " + backend);
    };
  }

  /** Creates and starts the configured storage. */
  public static Future<Storage> open(Vertx vertx, StorageConfig config) {
    Storage storage = create(vertx, config);
    Future<Void> warn = config.backend().equals("dual") ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      Path queue = config.dualDir().resolve("repair-queue.jsonl");
      int pending = Files.exists(queue) ? RepairQueue.countPending(queue) : 0;
      if (pending > 0) {
        log.warn("{} holds {} repair(s) left from dual mode; they do not run with STORAGE_BACKEND={}. "
            + "Go back to STORAGE_BACKEND=dual until they drain, or check with `migrate validate`.", queue, pending,
            config.backend());
      }
      return null;
    }, false);
    return warn.compose(v -> storage.start()).map(storage);
  }
}
