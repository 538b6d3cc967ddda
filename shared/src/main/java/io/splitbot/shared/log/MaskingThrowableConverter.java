package io.splitbot.shared.log;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %ex} with secrets masked: exception messages quote URLs, and URLs hold the token. */
public class MaskingThrowableConverter extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redactor.mask(super.convert(event));
  }
}
