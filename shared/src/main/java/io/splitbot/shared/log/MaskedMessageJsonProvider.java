package io.splitbot.shared.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;

/** The JSON {@code message} field, masked by {@link Redactor} like {@code %msg} in the plain format. */
public class MaskedMessageJsonProvider extends MessageJsonProvider {
  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    generator.writeStringField(getFieldName(), Redactor.mask(event.getFormattedMessage()));
  }
}
