package io.splitbot.edge.spool;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/** Small helpers shared by the spool tests. */
final class SpoolTesting {

  private SpoolTesting() {
  }

  static UpdateEnvelope update(long id) {
    String raw = "{\"update_id\":" + id + ",\"message\":{\"chat\":{\"id\":" + (id % 3) + "},\"text\":\"hello \\\"" + id + "\\\"\"}}";
    return new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(id), "telegram:" + (id % 3), id, raw);
  }

  static List<Long> ids(List<UpdateEnvelope> updates) {
    return updates.stream().map(UpdateEnvelope::order).toList();
  }

  /** Waits for a future from the test thread; the failure comes back as thrown. */
  static <T> T await(Future<T> future) throws Throwable {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within 10 s", e);
    }
  }

  static Throwable failure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /** Captures what one class logs, for asserting on WARN/ERROR lines. */
  static final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
      logger = (Logger) LoggerFactory.getLogger(source);
      appender.start();
      logger.addAppender(appender);
    }

    List<String> lines(Level level) {
      return appender.list.stream()
          .filter(event -> event.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
