package io.splitbot.tests.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures every log line of this JVM as it would be written (masking converters included). */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final PatternLayout layout = new PatternLayout();
  private final List<String> lines = new ArrayList<>();

  public static LogCapture attach() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogCapture capture = new LogCapture();
    capture.setContext(context);
    capture.layout.setContext(context);
    capture.layout.getInstanceConverterMap().put("msg", io.splitbot.shared.log.MaskingMessageConverter::new);
    capture.layout.getInstanceConverterMap().put("ex", io.splitbot.shared.log.MaskingThrowableConverter::new);
    capture.layout.setPattern("%level %logger - %msg%n%ex");
    capture.layout.start();
    capture.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
    return capture;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    lines.add(layout.doLayout(event));
  }

  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  public synchronized String all() {
    return String.join("", lines);
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    stop();
  }
}
