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
    return oneLine(Redactor.mask(super.convert(event)));
  }

  /** CR and LF as the two characters {@code \r} and {@code \n}: what a plain line holds of text from outside. */
  static String oneLine(String text) {
    return text == null ? null : text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
