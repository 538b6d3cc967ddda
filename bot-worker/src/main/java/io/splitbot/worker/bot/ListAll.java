package io.splitbot.worker.bot;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Pages through a store until a page comes back short. */
final class ListAll {
  static final int PAGE = 500;

  private ListAll() {
  }

  static Future<List<KeyValueStore.Entry>> of(KeyValueStore store, String prefix) {
    List<KeyValueStore.Entry> all = new ArrayList<>();
    return page(store, prefix, null, all).map(v -> all);
  }

  private static Future<Void> page(KeyValueStore store, String prefix, String after, List<KeyValueStore.Entry> all) {
    return store.list(prefix, after, PAGE).compose(entries -> {
      all.addAll(entries);
      return entries.size() < PAGE ? Future.succeededFuture() : page(store, prefix, entries.get(entries.size() - 1).key(), all);
    });
  }
}
