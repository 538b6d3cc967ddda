package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;

/** The part every backend's {@link RecordStore} shares: the kind it serves. */
public abstract class KindStore<T> implements RecordStore<T> {
  protected final Kind<T> kind;

  protected KindStore(Kind<T> kind) {
    this.kind = kind;
  }

  @Override
  public Kind<T> kind() {
    return kind;
  }
}
