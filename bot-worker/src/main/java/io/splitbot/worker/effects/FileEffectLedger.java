package io.splitbot.worker.effects;

import io.splitbot.shared.store.GroupCommitFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ledger: JSON lines in {@code DATA_DIR/effects.log}, fsynced with group commit and held in memory.
 * Only updates not yet handled have entries, so memory is bounded by the updates in flight and the dead letters.
 * A torn last line is ignored; the file is rewritten with the live entries once it has grown.
 */
public final class FileEffectLedger implements EffectLedger {
  private static final Logger log = LoggerFactory.getLogger(FileEffectLedger.class);
  private static final long COMPACT_BYTES = 4 * 1024 * 1024;

  private final GroupCommitFile file;
  private final Map<String, Map<Integer, Effect>> live = new HashMap<>();
  private long bytesInFile;
  private long compactedSize;

  private FileEffectLedger(GroupCommitFile file) {
    this.file = file;
  }

  public static Future<FileEffectLedger> open(Vertx vertx, Path dir) {
    return vertx.executeBlocking(() -> {
      Path path = dir.resolve("effects.log");
      byte[] bytes = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
      FileEffectLedger ledger = new FileEffectLedger(new GroupCommitFile(vertx, path, "splitbot-effects-writer"));
      ledger.load(new String(bytes, StandardCharsets.UTF_8), path);
      ledger.bytesInFile = bytes.length;
      return ledger;
    });
  }

  private void load(String text, Path path) {
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        log.warn("{}: ignoring a torn last line at offset {} (crash while writing)", path, start);
        return;
      }
      String line = text.substring(start, end);
      try {
        apply(new JsonObject(line));
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        log.warn("{}: ignoring an unreadable line at offset {}", path, start);
      }
      start = end + 1;
    }
  }

  private void apply(JsonObject record) {
    // The update's key; lines written before platforms hold a Telegram update_id as a number, the same key.
    Object u = record.getValue("u");
    if (!(u instanceof String || u instanceof Number)) {
      throw new ClassCastException("u must be an update key");
    }
    String id = String.valueOf(u);
    String type = record.getString("t");
    switch (type) {
      case "forget" -> live.remove(id);
      case "abort" -> {
        Map<Integer, Effect> effects = live.get(id);
        if (effects != null) {
          effects.remove(record.getInteger("s"));
        }
      }
      case "begin" -> live.computeIfAbsent(id, k -> new HashMap<>()).put(record.getInteger("s"), new Effect(false, null));
      case "complete" -> live.computeIfAbsent(id, k -> new HashMap<>()).put(record.getInteger("s"), new Effect(true, record.getValue("r")));
      default -> throw new ClassCastException("unknown record type " + type);
    }
  }

  @Override
  public Future<Map<Integer, Effect>> recall(String updateKey) {
    Map<Integer, Effect> effects = live.get(updateKey);
    return Future.succeededFuture(effects == null ? Map.of() : Map.copyOf(effects));
  }

  @Override
  public Future<Void> begin(String updateKey, int seq) {
    return write(new JsonObject().put("u", updateKey).put("s", seq).put("t", "begin"));
  }

  @Override
  public Future<Void> complete(String updateKey, int seq, Object result) {
    return write(new JsonObject().put("u", updateKey).put("s", seq).put("t", "complete").put("r", result));
  }

  @Override
  public Future<Void> abort(String updateKey, int seq) {
    return write(new JsonObject().put("u", updateKey).put("s", seq).put("t", "abort"));
  }

  @Override
  public Future<Void> forget(String updateKey) {
    if (!live.containsKey(updateKey)) {
      return Future.succeededFuture();
    }
    return write(new JsonObject().put("u", updateKey).put("t", "forget"));
  }

  /** Applies in memory at once (so a compaction snapshot includes it), then appends durably. */
  private Future<Void> write(JsonObject record) {
    apply(record);
    byte[] line = (record.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    bytesInFile += line.length;
    Future<Void> written = file.append(line);
    if (bytesInFile > COMPACT_BYTES + 2 * compactedSize) {
      compact();
    }
    return written;
  }

  private void compact() {
    StringBuilder snapshot = new StringBuilder();
    live.forEach((id, effects) -> effects.forEach((seq, effect) -> snapshot.append(effect.completed()
        ? new JsonObject().put("u", id).put("s", seq).put("t", "complete").put("r", effect.result())
        : new JsonObject().put("u", id).put("s", seq).put("t", "begin")).append('\n')));
    byte[] content = snapshot.toString().getBytes(StandardCharsets.UTF_8);
    bytesInFile = content.length;
    compactedSize = content.length;
    file.rewrite(content).onFailure(e -> log.warn("effects ledger compaction failed: {}", e.toString()));
  }

  @Override
  public Future<Void> close() {
    return file.close();
  }
}
