package io.splitbot.worker.storage.routed;

import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageBackend;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A module's backend for its own kinds ({@link StorageBackend}) together with a local plain backend for every other
 * kind, as one storage named after the module's backend. An atomic change goes where its first record lives; a
 * change that reads kinds of both sides is refused (no module makes one: a request and its children live together).
 *
 * <p>{@code ownsLocal} false: the local backend is the other side of a dual storage, which starts and closes it; this
 * one only routes to it, so users are not stored twice and the JSON store is opened once.
 */
public final class RoutedStorage implements Storage {
  private final String name;
  private final Storage carried;
  private final Set<String> carriedKinds;
  private final Storage local;
  private final boolean ownsLocal;

  public RoutedStorage(StorageBackend backend, Storage carried, Storage local, boolean ownsLocal) {
    this.name = backend.name();
    this.carried = carried;
    this.carriedKinds = Set.copyOf(backend.kinds().stream().map(Kind::name).toList());
    this.local = local;
    this.ownsLocal = ownsLocal;
  }

  @Override
  public String backend() {
    return name;
  }

  private boolean carries(Kind<?> kind) {
    return carriedKinds.contains(kind.name());
  }

  /** The local side first: a broken local store is something to fix, an unreachable remote only an outage. */
  @Override
  public Future<Void> start() {
    Future<Void> l = ownsLocal ? local.start() : Future.succeededFuture();
    return l.compose(v -> carried.start().recover(e -> ownsLocal
        ? local.close().transform(ignored -> Future.failedFuture(e))
        : Future.failedFuture(e)));
  }

  @Override
  public Future<Void> close() {
    return Future.join(carried.close(), ownsLocal ? local.close() : Future.succeededFuture()).mapEmpty();
  }

  @Override
  public <T> RecordStore<T> records(Kind<T> kind) {
    return carries(kind) ? carried.records(kind) : local.records(kind);
  }

  @Override
  public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
    boolean remote = carries(reads.get(0).kind());
    if (reads.stream().anyMatch(r -> carries(r.kind()) != remote)) {
      return Future.failedFuture(new StorageException("one change cannot read kinds of both the " + name
          + " backend and the local one: " + reads));
    }
    return (remote ? carried : local).apply(reads, body);
  }

  /** The carried side's health; the local side's is reported by itself when it is the other side of dual storage. */
  @Override
  public Future<JsonObject> health() {
    if (!ownsLocal) {
      return carried.health().map(h -> h.copy().put("backend", name));
    }
    return Future.join(carried.health(), local.health()).map(cf -> {
      JsonObject c = cf.resultAt(0);
      JsonObject l = cf.resultAt(1);
      return new JsonObject().put("backend", name).put("ok", c.getBoolean("ok", false) && l.getBoolean("ok", false))
          .put("remote", c).put("local", l);
    });
  }
}
