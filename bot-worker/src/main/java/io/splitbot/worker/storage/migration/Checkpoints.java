package io.splitbot.worker.storage.migration;

import io.splitbot.worker.bot.KeyValueStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a migration keeps its {@link Checkpoint}: a local file for the CLI (the operator runs it on one machine), a
 * record in the primary for the auto migration, so whichever worker takes the lease over resumes where the last
 * holder stopped.
 */
public interface Checkpoints {
  /** The saved checkpoint, or null. */
  Future<Checkpoint> load();

  Future<Void> save(Checkpoint checkpoint);

  /** The run completed: nothing to resume. */
  Future<Void> clear();

  /** In {@code file} (temp file, fsync, rename). */
  static Checkpoints inFile(Vertx vertx, Path file) {
    return new Checkpoints() {
      @Override
      public Future<Checkpoint> load() {
        return vertx.executeBlocking(() -> Checkpoint.load(file), false);
      }

      @Override
      public Future<Void> save(Checkpoint checkpoint) {
        return vertx.executeBlocking(() -> {
          checkpoint.save(file);
          return null;
        }, false);
      }

      @Override
      public Future<Void> clear() {
        return vertx.executeBlocking(() -> Files.deleteIfExists(file), false).mapEmpty();
      }
    };
  }

  /** Under {@code key} of a key-value store. */
  static Checkpoints inStore(KeyValueStore store, String key) {
    return new Checkpoints() {
      @Override
      public Future<Checkpoint> load() {
        return store.get(key).map(j -> j == null ? null : Checkpoint.fromJson(j));
      }

      @Override
      public Future<Void> save(Checkpoint checkpoint) {
        return store.put(key, checkpoint.toJson());
      }

      @Override
      public Future<Void> clear() {
        return store.delete(key).mapEmpty();
      }
    };
  }

  /** No checkpoint (a dry run). */
  Checkpoints NONE = new Checkpoints() {
    @Override
    public Future<Checkpoint> load() {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<Void> save(Checkpoint checkpoint) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> clear() {
      return Future.succeededFuture();
    }
  };
}
