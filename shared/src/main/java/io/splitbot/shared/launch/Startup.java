package io.splitbot.shared.launch;

import io.splitbot.shared.cluster.Refusal;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns a start-up configuration error into one line on stderr and exit code 2, never a stack trace; and a
 * {@link Refusal} (this process must not run beside another of its role) into its one line and exit code 2.
 */
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

  /**
   * Stops the process with the refusal's one line, whether found at start ({@code vertx} is then left at once, so the
   * members see it go) or later, from an event loop: the exit runs on a thread of its own, since the shutdown hook
   * drains through the event loops.
   */
  public static void refuse(Vertx vertx, String line, boolean started) {
    System.err.println("splitbot: " + line);
    if (started) {
      new Thread(() -> System.exit(2), "splitbot-refusal").start();
      return;
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // leaving is a courtesy here: the process stops either way
    }
    System.exit(2);
  }
}
