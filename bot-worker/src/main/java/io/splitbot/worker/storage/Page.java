package io.splitbot.worker.storage;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One page of a listing. {@code page} is 0-based; {@code total} is the number of matching records over all pages.
 */
public record Page<T>(List<T> items, int page, int size, long total) {
  public Page {
    items = List.copyOf(items);
  }

  public boolean hasNext() {
    return (long) (page + 1) * size < total;
  }

  public int pages() {
    return size == 0 ? 0 : (int) ((total + size - 1) / size);
  }

  public <R> Page<R> map(Function<T, R> f) {
    return new Page<>(items.stream().map(f).toList(), page, size, total);
  }

  /** Cuts one page out of a complete, already ordered list. */
  public static <T> Page<T> slice(List<T> all, int page, int size) {
    checkPaging(page, size);
    long from = (long) page * size;
    if (from >= all.size()) {
      return new Page<>(List.of(), page, size, all.size());
    }
    int to = (int) Math.min(all.size(), from + size);
    return new Page<>(all.subList((int) from, to), page, size, all.size());
  }

  /** {@code fetch}'s page once {@code page} and {@code size} are in range; else a failed future that says which is not. */
  public static <T> Future<Page<T>> fetched(int page, int size, Supplier<Future<Page<T>>> fetch) {
    try {
      checkPaging(page, size);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return fetch.get();
  }

  public static void checkPaging(int page, int size) {
    if (page < 0) {
      throw new IllegalArgumentException("page must be >= 0, got " + page);
    }
    if (size < 1 || size > 1000) {
      throw new IllegalArgumentException("size must be between 1 and 1000, got " + size);
    }
  }
}
