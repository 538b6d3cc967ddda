package io.splitbot.shared.log;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with secrets masked, so no appender ever writes a token, and with CR and LF escaped, so text from
 * outside (an update, a header) cannot forge a second log line in the plain format.
 */
public class MaskingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String masked = Redactor.mask(super.convert(event));
    return masked == null ? null : masked.replace("\r", "\\r").replace("\n", "\\n");
  }
}
