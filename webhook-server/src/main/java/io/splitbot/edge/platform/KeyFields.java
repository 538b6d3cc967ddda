package io.splitbot.edge.platform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Reads a JSON object keeping only the fields with the given names, down to a given depth: the part of an update that
 * keys it, without building the rest of the tree (the worker parses the whole body; the edge only keys it). The whole
 * body is still read, so a syntax error anywhere is still a {@link DecodeException}. What is kept has the types a
 * full parse gives ({@code Integer}, {@code Long}, {@code BigInteger}, {@code Double}, {@code String},
 * {@code Boolean}, {@link JsonObject}; an array is kept as an empty {@link JsonArray}), so the same checks apply to it.
 */
public final class KeyFields {
  private static final JsonFactory FACTORY = new JsonFactory();

  private KeyFields() {
  }

  /**
   * @param names the field names kept, at any depth
   * @param maxDepth how deep objects are kept (1: the top-level fields only)
   * @throws DecodeException when the body is not one well-formed JSON object
   */
  public static JsonObject parse(Buffer body, Set<String> names, int maxDepth) {
    ByteBuffer bytes = ((BufferInternal) body).getByteBuf().nioBuffer();
    try (JsonParser parser = bytes.hasArray()
        ? FACTORY.createParser(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining())
        : FACTORY.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException("not a JSON object");
      }
      JsonObject kept = object(parser, names, 1, maxDepth);
      if (parser.nextToken() != null) {
        throw new DecodeException("unexpected content after the JSON object");
      }
      return kept;
    } catch (IOException e) {
      throw new DecodeException("not a JSON object: " + e.getMessage());
    }
  }

  /** The object whose START_OBJECT was just read; returns at its END_OBJECT. */
  private static JsonObject object(JsonParser parser, Set<String> names, int depth, int maxDepth) throws IOException {
    JsonObject kept = new JsonObject();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!names.contains(name)) {
        parser.skipChildren();
      } else if (value == JsonToken.START_OBJECT) {
        if (depth < maxDepth) {
          kept.put(name, object(parser, names, depth + 1, maxDepth));
        } else {
          parser.skipChildren();
          kept.put(name, new JsonObject());
        }
      } else if (value == JsonToken.START_ARRAY) {
        parser.skipChildren();
        kept.put(name, new JsonArray());
      } else {
        kept.put(name, scalar(parser, value));
      }
    }
    return kept;
  }

  private static Object scalar(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> parser.getIntValue();
        case LONG -> parser.getLongValue();
        default -> parser.getBigIntegerValue();
      };
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_STRING -> parser.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> null;
    };
  }
}
