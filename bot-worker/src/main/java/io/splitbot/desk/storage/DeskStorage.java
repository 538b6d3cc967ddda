package io.splitbot.desk.storage;

import io.splitbot.worker.storage.Storage;

/** The desk's repositories, written once on the generic storage layer, so they work on every backend. */
public final class DeskStorage {
  private final RequestRepository requests;
  private final CommentRepository comments;
  private final HistoryRepository history;
  private final CounterRepository counters;

  public DeskStorage(Storage storage) {
    this.requests = new RequestRepository(storage);
    this.comments = new CommentRepository(storage);
    this.history = new HistoryRepository(storage);
    this.counters = new CounterRepository(storage);
  }

  public RequestRepository requests() {
    return requests;
  }

  public CommentRepository comments() {
    return comments;
  }

  public HistoryRepository history() {
    return history;
  }

  public CounterRepository counters() {
    return counters;
  }
}
