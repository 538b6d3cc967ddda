package io.splitbot.worker.storage.consistency;

/** Receives progress of a long pass (migration, validation, repair). Implementations must be cheap. */
public interface Progress {
  /** A new task ("copy requests"), with the number of records expected and how many are done already. */
  void start(String task, long total, long alreadyDone);

  void step(long n);

  void end();

  Progress NONE = new Progress() {
    @Override
    public void start(String task, long total, long alreadyDone) {
    }

    @Override
    public void step(long n) {
    }

    @Override
    public void end() {
    }
  };
}
