package io.splitbot.edge.platform.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitbot.edge.platform.KeyFields;
import io.splitbot.shared.update.MalformedUpdateException;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edge keys a Telegram update from {@link KeyFields}, a parse of only the fields that key it. Every body here is
 * keyed exactly as the full parse keys it: the same envelope, or the same error naming the same field.
 */
class TelegramKeyFieldsTest {

  private static final List<String> BODIES = List.of(
      "{\"update_id\":5,\"message\":{\"message_id\":1,\"from\":{\"id\":7},\"chat\":{\"id\":42,\"type\":\"private\"},\"text\":\"hi\"}}",
      "{\"message\":{\"chat\":{\"id\":-1001234567890,\"title\":\"g\",\"photo\":{\"id\":\"x\"}},\"entities\":[{\"type\":\"bot_command\"}]},\"update_id\":2147483648}",
      "{\"update_id\":9,\"callback_query\":{\"id\":\"77\",\"from\":{\"id\":8},\"message\":{\"chat\":{\"id\":43}},\"data\":\"a\"}}",
      "{\"update_id\":9,\"callback_query\":{\"id\":\"77\",\"from\":{\"id\":8},\"inline_message_id\":\"i\"}}",
      "{\"update_id\":10,\"inline_query\":{\"id\":\"q\",\"from\":{\"id\":9,\"first_name\":\"A\"},\"query\":\"\"}}",
      "{\"update_id\":11,\"poll_answer\":{\"poll_id\":\"p\",\"voter_chat\":{\"id\":-100}}}",
      "{\"update_id\":11,\"poll_answer\":{\"poll_id\":\"p\",\"user\":{\"id\":12}}}",
      "{\"update_id\":12,\"poll\":{\"id\":\"p\",\"options\":[]}}",
      "{\"update_id\":13,\"some_future_type\":{\"chat\":{\"id\":1}}}",
      "{\"update_id\":14,\"edited_message\":null,\"message_reaction\":{\"chat\":{\"id\":44},\"user\":{\"id\":1}}}",
      "{\"update_id\":15,\"message\":{\"chat\":{\"id\":45}},\"message\":{\"chat\":{\"id\":46}}}",
      // malformed: each names its field
      "{\"message\":{\"chat\":{\"id\":1}}}",
      "{\"update_id\":-1,\"message\":{\"chat\":{\"id\":1}}}",
      "{\"update_id\":\"5\",\"message\":{\"chat\":{\"id\":1}}}",
      "{\"update_id\":1.5,\"message\":{\"chat\":{\"id\":1}}}",
      "{\"update_id\":99999999999999999999999,\"message\":{\"chat\":{\"id\":1}}}",
      "{\"update_id\":5,\"message\":[1,2]}",
      "{\"update_id\":5,\"message\":{\"text\":\"no chat\"}}",
      "{\"update_id\":5,\"message\":{\"chat\":\"42\"}}",
      "{\"update_id\":5,\"message\":{\"chat\":{\"id\":\"42\"}}}",
      "{\"update_id\":5,\"message\":{\"chat\":{\"id\":4.2}}}",
      "{\"update_id\":5,\"callback_query\":{\"message\":{\"chat\":{}}}}",
      "{\"update_id\":5,\"callback_query\":{\"id\":\"1\"}}",
      "{\"update_id\":5,\"poll_answer\":{\"user\":{\"id\":true}}}");

  @Test
  void keysEveryBodyAsTheFullParseDoes() {
    for (String body : BODIES) {
      Buffer raw = Buffer.buffer(body);
      Object expected = outcome(() -> TelegramEdge.envelopeOf(raw, new JsonObject(raw)));
      Object actual = outcome(() -> TelegramEdge.envelopeOf(raw, KeyFields.parse(raw, TelegramUpdates.KEY_FIELDS,
          TelegramUpdates.KEY_DEPTH)));
      assertEquals(expected, actual, body);
    }
  }

  @Test
  void aBodyThatIsNotOneWellFormedObjectIsADecodeError() {
    for (String body : List.of("[1]", "{\"update_id\":1", "{\"update_id\":1}{}", "{\"update_id\":1,}", "\"x\"", "")) {
      assertThrows(DecodeException.class,
          () -> KeyFields.parse(Buffer.buffer(body), TelegramUpdates.KEY_FIELDS, TelegramUpdates.KEY_DEPTH), body);
    }
  }

  @Test
  void theEnvelopeKeepsTheBodysOwnBytes() {
    Buffer raw = Buffer.buffer(BODIES.get(0));
    UpdateEnvelope envelope = new TelegramEdge(null, null).envelope(raw);
    assertEquals("5", envelope.dedupKey());
    assertEquals("42", envelope.chatKey());
    assertEquals(raw, envelope.rawBytes());
    assertEquals(BODIES.get(0), envelope.raw());
  }

  private static Object outcome(java.util.function.Supplier<UpdateEnvelope> keying) {
    try {
      UpdateEnvelope e = keying.get();
      return List.of(e.dedupKey(), e.chatKey(), e.order());
    } catch (MalformedUpdateException e) {
      return "malformed: " + e.getMessage();
    }
  }
}
