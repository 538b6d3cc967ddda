package io.splitbot.worker.storage.migration;

import io.splitbot.worker.storage.model.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where an interrupted migration stands: the kinds already copied, the kind in progress and the last key copied,
 * with the counts so far. Saved after every batch (temp file, fsync, rename), deleted when the run completes.
 */
public record Checkpoint(String from, String to, List<String> kinds, String kind, String after, JsonObject counts) {

  JsonObject toJson() {
    return new JsonObject().put("from", from).put("to", to).put("kinds", new JsonArray(kinds)).put("kind", kind)
        .put("after", after).put("counts", counts).put("saved_at", Values.format(Values.now()));
  }

  static Checkpoint fromJson(JsonObject j) {
    return new Checkpoint(j.getString("from"), j.getString("to"),
        j.getJsonArray("kinds", new JsonArray()).stream().map(Object::toString).toList(),
        j.getString("kind"), j.getString("after"), j.getJsonObject("counts", new JsonObject()));
  }

  boolean matches(String from, String to, List<String> kinds) {
    return this.from.equals(from) && this.to.equals(to) && this.kinds.equals(kinds);
  }

  static Checkpoint load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      throw new IOException("checkpoint " + file + " is unreadable (" + e.getMessage() + "); delete it or run with --restart");
    }
  }

  void save(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(toJson().encode().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
