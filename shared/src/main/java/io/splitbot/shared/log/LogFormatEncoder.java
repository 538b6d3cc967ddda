package io.splitbot.shared.log;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * The one encoder of both services: plain lines, or one JSON object per line when {@code format} is {@code json}
 * ({@link LogSetup} sets it from {@code LOG_FORMAT}). Both mask secrets and phone numbers ({@link Redactor}) in the message
 * and the stack trace, and both carry the MDC fields (update_id, chat_id, request_id). JSON fields:
 * {@code @timestamp, level, logger, thread, message, stack_trace} and each MDC field at the top level.
 */
public class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
  private String format = "plain";
  private String pattern = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36}%fields - %msg%n%ex";
  private Encoder<ILoggingEvent> delegate;

  public void setFormat(String format) {
    this.format = format == null ? "plain" : format.trim().toLowerCase(Locale.ROOT);
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public boolean json() {
    return "json".equals(format);
  }

  @Override
  public void start() {
    delegate = json() ? jsonEncoder() : plainEncoder();
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }

  private Encoder<ILoggingEvent> plainEncoder() {
    PatternLayout layout = new PatternLayout();
    layout.setContext(getContext());
    layout.getInstanceConverterMap().put("msg", MaskingMessageConverter::new);
    layout.getInstanceConverterMap().put("ex", MaskingThrowableConverter::new);
    layout.getInstanceConverterMap().put("fields", LogFieldsConverter::new);
    layout.setPattern(pattern);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(getContext());
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  private Encoder<ILoggingEvent> jsonEncoder() {
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
    providers.addTimestamp(new LoggingEventFormattedTimestampJsonProvider());
    LogLevelJsonProvider level = new LogLevelJsonProvider();
    level.setFieldName("level");
    providers.addLogLevel(level);
    LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
    logger.setFieldName("logger");
    providers.addLoggerName(logger);
    LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
    thread.setFieldName("thread");
    providers.addThreadName(thread);
    providers.addMdc(new MdcJsonProvider());
    providers.addMessage(new MaskedMessageJsonProvider());
    StackTraceJsonProvider stack = new StackTraceJsonProvider();
    stack.setThrowableConverter(new MaskingThrowableConverter());
    providers.addStackTrace(stack);
    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(getContext());
    encoder.setProviders(providers);
    encoder.start();
    return encoder;
  }
}
