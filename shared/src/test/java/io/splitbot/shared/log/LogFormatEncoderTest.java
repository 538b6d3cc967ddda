package io.splitbot.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Both formats mask the message and the stack trace, and carry the MDC fields. */
class LogFormatEncoderTest {
  private static final String TOKEN = "123456789:AAHsplitbotTestTokenSecretPart0042";

  static LoggingEvent event(LoggerContext context) {
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.splitbot.test"), Level.WARN,
        "sending to /bot{} for +7 999 123-45-67 failed", new IllegalStateException("url /bot" + TOKEN + "/sendMessage"),
        new Object[] {TOKEN});
    event.setMDCPropertyMap(Map.of("update_id", "42", "chat_id", "-100777"));
    return event;
  }

  static String encode(String format) {
    LoggerContext context = new LoggerContext();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    return new String(encoder.encode(event(context)), StandardCharsets.UTF_8);
  }

  @Test
  void jsonIsOneObjectPerLineWithFieldsAndNothingSecret() {
    String line = encode("json");
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
    JsonObject json = new JsonObject(line);
    assertEquals("WARN", json.getString("level"));
    assertEquals("io.splitbot.test", json.getString("logger"));
    assertEquals("42", json.getString("update_id"));
    assertEquals("-100777", json.getString("chat_id"));
    assertEquals("sending to /bot123456789:*** for ***67 failed", json.getString("message"));
    assertTrue(json.getString("stack_trace").contains("IllegalStateException: url /bot123456789:***/sendMessage"));
    assertTrue(json.containsKey("@timestamp"));
    assertFalse(line.contains("TokenSecretPart"), line);
    assertFalse(line.contains("123-45-67"), line);
  }

  @Test
  void plainLinesEscapeCarriageReturnsAndLineFeedsSoNoLineCanBeForged() {
    LoggerContext context = new LoggerContext();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat("plain");
    encoder.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.splitbot.test"), Level.INFO,
        "user said {}", null, new Object[] {"hi\r\n12:00:00.000 ERROR [main] io.splitbot.Fake - forged"});
    event.setMDCPropertyMap(Map.of());
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertEquals(1, line.split("\n", -1).length - 1, "one line: " + line);
    assertFalse(line.contains("\r"), line);
    assertTrue(line.contains("user said hi\\r\\n12:00:00.000 ERROR [main] io.splitbot.Fake - forged"), line);
  }

  @Test
  void plainLinesEscapeAndMaskFieldValuesToo() {
    LoggerContext context = new LoggerContext();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat("plain");
    encoder.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.splitbot.test"), Level.INFO, "handled", null, null);
    event.setMDCPropertyMap(Map.of("chat_id", "c1\r\n12:00:00.000 ERROR forged token 123456789:AAHsplitbotTestTokenSecretPart0042"));
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertEquals(1, line.split("\n", -1).length - 1, "one line: " + line);
    assertTrue(line.contains("[chat_id=c1\\r\\n12:00:00.000 ERROR forged token 123456789:***] - handled"), line);
  }

  @Test
  void plainLinesShowTheFieldsAndMaskToo() {
    String text = encode("plain");
    assertTrue(text.contains("io.splitbot.test [update_id=42 chat_id=-100777] - sending to /bot123456789:*** for ***67 failed")
        || text.contains("io.splitbot.test [chat_id=-100777 update_id=42] - sending to /bot123456789:*** for ***67 failed"), text);
    assertFalse(text.contains("TokenSecretPart"), text);
  }
}
