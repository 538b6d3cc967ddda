package io.splitbot.shared.launch;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.log.Redactor;
import java.util.function.Supplier;

/** Turns a start-up configuration error into one line on stderr and exit code 2, never a stack trace. */
public final class Startup {
  private Startup() {
  }

  public static <T> T orExit(Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigException e) {
      System.err.println("splitbot: configuration error: " + Redactor.mask(e.getMessage()));
      System.exit(2);
      return null;
    }
  }
}
