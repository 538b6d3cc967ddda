package io.splitbot.worker.module;

import io.splitbot.shared.config.ConfigException;

/** A bot module's {@code create} threw: start-up stops with the module's name and what it said. */
public final class ModuleFailedException extends RuntimeException {
  private final boolean configuration;

  public ModuleFailedException(String module, Throwable cause) {
    super(oneLine(cause instanceof ConfigException
        ? cause.getMessage()
        : "bot module " + module + " failed to start: " + describe(cause)), cause);
    this.configuration = cause instanceof ConfigException;
  }

  /** The exception and what caused it, down to the root (an ExceptionInInitializerError says nothing itself). */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      text.append(text.length() == 0 ? "" : ", caused by ").append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }

  /** The launcher prints this as one line. */
  private static String oneLine(String text) {
    return String.valueOf(text).replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /** True when the module found a bad setting: the launcher reports it as a configuration error. */
  public boolean configuration() {
    return configuration;
  }
}
