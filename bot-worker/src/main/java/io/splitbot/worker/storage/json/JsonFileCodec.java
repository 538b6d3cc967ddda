package io.splitbot.worker.storage.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes one JSON store file:
 * <pre>
 * {"format":"splitbot-json-store/1",
 * "requests":[
 * {...one record per line...},
 * {...}
 * ],
 * "comments":[
 * ]
 * }
 * </pre>
 * Reading is strict: bad JSON, an unknown section, a duplicate key or an invalid record is reported with its
 * line and column, because writing back a file we only partly understood would lose data.
 */
final class JsonFileCodec {
  static final String FORMAT = "splitbot-json-store/1";
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonFileCodec() {
  }

  /** A record with its canonical JSON line, encoded once when stored. */
  record Stored(Object record, String json) {
  }

  static <T> Stored stored(Kind<T> kind, T record) {
    return new Stored(record, kind.toJson(record).encode());
  }

  @SuppressWarnings("unchecked")
  static Comparator<String> order(Kind<?> kind) {
    return (Comparator<String>) kind.keyOrder();
  }

  static Map<Kind<?>, TreeMap<String, Stored>> read(Path file, FileGroup group, byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new JsonStoreCorruptException(file, 1, 1, "not valid UTF-8 text");
    }
    Map<Kind<?>, TreeMap<String, Stored>> out = new HashMap<>();
    for (Kind<?> k : group.kinds) {
      out.put(k, new TreeMap<>(order(k)));
    }
    if (text.isBlank()) {
      throw new JsonStoreCorruptException(file, 1, 1, "the file is empty (a JSON object was expected)");
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      expect(file, p, p.nextToken(), JsonToken.START_OBJECT, "a JSON object");
      boolean sawFormat = false;
      while (true) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
          break;
        }
        expect(file, p, t, JsonToken.FIELD_NAME, "a field name");
        String name = p.currentName();
        JsonLocation nameAt = p.currentTokenLocation();
        if (name.equals("format")) {
          JsonToken v = p.nextToken();
          if (v != JsonToken.VALUE_STRING || !FORMAT.equals(p.getText())) {
            throw corrupt(file, p.currentTokenLocation(), "format must be \"" + FORMAT + "\"");
          }
          sawFormat = true;
          continue;
        }
        Kind<?> kind = group.kinds.stream().filter(k -> k.name().equals(name)).findFirst()
            .orElseThrow(() -> corrupt(file, nameAt, "unknown section \"" + name + "\" (expected "
                + group.kinds.stream().map(Kind::name).toList() + ")"));
        expect(file, p, p.nextToken(), JsonToken.START_ARRAY, "an array of " + name);
        readRecords(file, p, text, kind, out.get(kind));
      }
      if (p.nextToken() != null) {
        throw corrupt(file, p.currentTokenLocation(), "unexpected content after the end of the object");
      }
      if (!sawFormat) {
        throw new JsonStoreCorruptException(file, 1, 1, "the \"format\" field is missing");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new JsonStoreCorruptException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
          e.getOriginalMessage());
    } catch (IOException e) {
      throw new JsonStoreCorruptException(file, 0, 0, e.getMessage());
    }
    return out;
  }

  private static <T> void readRecords(Path file, JsonParser p, String text, Kind<T> kind, TreeMap<String, Stored> into)
      throws IOException {
    int index = 0;
    while (true) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.END_ARRAY) {
        return;
      }
      expect(file, p, t, JsonToken.START_OBJECT, "a " + kind.name() + " record (a JSON object)");
      JsonLocation start = p.currentTokenLocation();
      p.skipChildren();
      long end = p.currentLocation().getCharOffset();
      String json = text.substring((int) start.getCharOffset(), (int) end);
      T record;
      try {
        record = kind.fromJson(new JsonObject(json));
      } catch (RuntimeException e) {
        throw corrupt(file, start, kind.name() + " record #" + (index + 1) + " is invalid: " + e.getMessage());
      }
      String key = kind.key(record);
      if (into.containsKey(key)) {
        throw corrupt(file, start, kind.name() + " record #" + (index + 1) + " repeats the key " + key);
      }
      into.put(key, stored(kind, record));
      index++;
    }
  }

  private static void expect(Path file, JsonParser p, JsonToken got, JsonToken want, String what) {
    if (got != want) {
      throw corrupt(file, p.currentTokenLocation(), what + " was expected, found " + (got == null ? "the end of the file" : got.asString() == null ? got.name() : got.asString()));
    }
  }

  private static JsonStoreCorruptException corrupt(Path file, JsonLocation at, String problem) {
    return new JsonStoreCorruptException(file, at.getLineNr(), at.getColumnNr(), problem);
  }

  static byte[] write(FileGroup group, Map<Kind<?>, ? extends Map<String, Stored>> data) {
    StringBuilder b = new StringBuilder(4096);
    b.append("{\"format\":\"").append(FORMAT).append("\"");
    for (Kind<?> k : group.kinds) {
      b.append(",\n\"").append(k.name()).append("\":[");
      boolean first = true;
      for (Stored s : data.get(k).values()) {
        b.append(first ? "\n" : ",\n").append(s.json());
        first = false;
      }
      b.append("\n]");
    }
    b.append("\n}\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
