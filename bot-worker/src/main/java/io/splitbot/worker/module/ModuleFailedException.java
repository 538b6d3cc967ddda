package io.splitbot.worker.module;

import io.splitbot.shared.config.ConfigException;

/** A bot module's {@code create} threw: start-up stops with the module's name and what it said. */
public final class ModuleFailedException extends RuntimeException {
  private final boolean configuration;

  public ModuleFailedException(String module, Throwable cause) {
    super(cause instanceof ConfigException
        ? cause.getMessage()
        : "bot module " + module + " failed to start: " + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    this.configuration = cause instanceof ConfigException;
  }

  /** True when the module found a bad setting: the launcher reports it as a configuration error. */
  public boolean configuration() {
    return configuration;
  }
}
