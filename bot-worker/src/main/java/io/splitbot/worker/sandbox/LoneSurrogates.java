package io.splitbot.worker.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Finds half a surrogate pair in a request's JSON: a body that carries one (as a {@code \\uD83D} escape) decodes to a
 * string that is not valid Unicode, which both platforms refuse. The emulators' own check, apart from the runtime's
 * text fitting, so they judge the runtime's texts independently.
 */
public final class LoneSurrogates {
  private LoneSurrogates() {
  }

  /** Whether any string in {@code value} (a JSON value, at any depth) holds half a surrogate pair. */
  public static boolean in(Object value) {
    if (value instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          return true;
        }
      }
      return false;
    }
    if (value instanceof JsonObject o) {
      for (Map.Entry<String, Object> e : o) {
        if (in(e.getValue())) {
          return true;
        }
      }
    }
    if (value instanceof JsonArray a) {
      for (Object item : a) {
        if (in(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
