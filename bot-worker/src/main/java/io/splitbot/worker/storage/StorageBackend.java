package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A backend a module provides (found through {@code META-INF/services/io.splitbot.worker.storage.StorageBackend}),
 * for the kinds that module owns: the desk's {@code remote} backend keeps requests in another worker's request
 * service. The runtime keeps every other kind (users, key-value stores, sessions, counters) in a local plain backend
 * and routes by kind ({@link io.splitbot.worker.storage.routed.RoutedStorage}), so the runtime never needs to know
 * the module.
 */
public interface StorageBackend {
  /** The name STORAGE_BACKEND, DUAL_PRIMARY or DUAL_SECONDARY give it. */
  String name();

  /** The kinds it carries; the others stay in the local backend. */
  List<Kind<?>> kinds();

  /** A storage for {@link #kinds()} only, not started yet. */
  Storage create(Vertx vertx, StorageConfig config);

  /** The provider of {@code name}, if a module on the class path has one. */
  static Optional<StorageBackend> byName(String name) {
    for (StorageBackend b : ServiceLoader.load(StorageBackend.class, StorageBackend.class.getClassLoader())) {
      if (b.name().equals(name)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
