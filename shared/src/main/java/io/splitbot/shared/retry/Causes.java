package io.splitbot.shared.retry;

/** Questions about a failure and everything it wraps. */
public final class Causes {
  private Causes() {
  }

  /** True when {@code failure}, or any exception in its cause chain, is a {@code type}. */
  public static boolean anyIs(Throwable failure, Class<?> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
