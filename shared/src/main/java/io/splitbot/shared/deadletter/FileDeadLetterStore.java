package io.splitbot.shared.deadletter;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import io.splitbot.shared.update.UpdateEnvelope;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One JSON file per dead letter in a folder ({@code DATA_DIR/dead-letters} for the worker, {@code
 * DATA_DIR/edge-dead-letters} for the edge), each written atomically (temp, fsync, rename). A letter marked for
 * replay also has an empty file of the same name in {@code replay/}: the marker is made before the letter says so
 * and removed after it stops saying so, so a crash in between leaves at most a stale marker, never a lost request.
 */
public final class FileDeadLetterStore implements DeadLetterStore {
  private static final String REPLAY_DIR = "replay";

  private final Vertx vertx;
  private final Path dir;

  public FileDeadLetterStore(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  @Override
  public Future<Void> put(DeadLetter letter) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir);
      Path marker = marker(letter.update().key());
      if (letter.replayRequested()) {
        Files.createDirectories(marker.getParent());
        Files.write(marker, new byte[0]);
      }
      write(letter);
      if (!letter.replayRequested()) {
        Files.deleteIfExists(marker);
      }
      return null;
    });
  }

  private void write(DeadLetter letter) throws IOException {
    {
      Path target = file(letter.update().key());
      Path tmp = dir.resolve(target.getFileName() + ".tmp");
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(letter.toJson().encodePrettily().getBytes(StandardCharsets.UTF_8)));
        out.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Future<List<String>> replayRequested() {
    return vertx.executeBlocking(() -> {
      Path markers = dir.resolve(REPLAY_DIR);
      if (!Files.isDirectory(markers)) {
        return List.<String>of();
      }
      try (Stream<Path> files = Files.list(markers)) {
        return files.map(p -> URLDecoder.decode(p.getFileName().toString(), StandardCharsets.UTF_8)).sorted().toList();
      }
    });
  }

  @Override
  public Future<List<DeadLetter>> list() {
    return vertx.executeBlocking(() -> {
      List<DeadLetter> letters = new ArrayList<>();
      if (!Files.isDirectory(dir)) {
        return letters;
      }
      for (Path f : files()) {
        letters.add(read(f));
      }
      letters.sort(Comparator.comparing(DeadLetter::update, UpdateEnvelope.ORDER));
      return letters;
    });
  }

  @Override
  public Future<Integer> count() {
    return vertx.executeBlocking(() -> Files.isDirectory(dir) ? files().size() : 0);
  }

  @Override
  public Future<DeadLetter> get(String updateKey) {
    return vertx.executeBlocking(() -> Files.exists(file(updateKey)) ? read(file(updateKey)) : null);
  }

  @Override
  public Future<Boolean> remove(String updateKey) {
    return vertx.executeBlocking(() -> {
      boolean removed = Files.deleteIfExists(file(updateKey));
      Files.deleteIfExists(marker(updateKey));
      return removed;
    });
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
    }
  }

  /** {@code <key>.json}, the key URL-encoded: a Telegram letter keeps its name ({@code 5.json}), none can leave the folder. */
  private Path file(String updateKey) {
    return dir.resolve(URLEncoder.encode(updateKey, StandardCharsets.UTF_8) + ".json");
  }

  private Path marker(String updateKey) {
    return dir.resolve(REPLAY_DIR).resolve(URLEncoder.encode(updateKey, StandardCharsets.UTF_8));
  }

  private static DeadLetter read(Path f) throws IOException {
    try {
      return DeadLetter.fromJson(new JsonObject(Files.readString(f)));
    } catch (RuntimeException e) {
      throw new IOException(f + " is not a readable dead letter: " + e.getMessage(), e);
    }
  }
}
