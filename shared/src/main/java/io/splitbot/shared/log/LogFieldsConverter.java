package io.splitbot.shared.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Map;

/**
 * {@code %fields} in a plain pattern: " [update_id=5 chat_id=42]" when the line has MDC fields, nothing otherwise.
 * Values are masked and kept on one line like the message, since a field can come from outside (a chat key).
 */
public class LogFieldsConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc == null || mdc.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" [");
    mdc.forEach((k, v) -> out.append(out.length() > 2 ? " " : "").append(k).append('=')
        .append(MaskingMessageConverter.oneLine(Redactor.mask(v))));
    return out.append(']').toString();
  }
}
