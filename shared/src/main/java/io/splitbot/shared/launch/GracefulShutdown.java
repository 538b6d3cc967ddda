package io.splitbot.shared.launch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** On SIGTERM: drain (stop taking new work, let work in flight finish), then close Vert.x and leave the cluster. */
public final class GracefulShutdown {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {
  }

  public static void install(Vertx vertx, int graceSeconds, Supplier<Future<?>> drain) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: finishing work in flight (up to {} s)", graceSeconds);
      try {
        drain.get().await(graceSeconds + 5L, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown: drain did not finish: {}", e.toString());
      }
      try {
        vertx.close().await(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown: close did not finish: {}", e.toString());
      }
      log.info("stopped");
    }, "splitbot-shutdown"));
  }
}
