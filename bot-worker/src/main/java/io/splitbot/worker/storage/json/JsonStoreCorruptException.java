package io.splitbot.worker.storage.json;

import io.splitbot.worker.storage.StorageException;
import java.nio.file.Path;

/** A JSON store file cannot be read. It names the file and the position; the file is left untouched. */
public final class JsonStoreCorruptException extends StorageException {
  private final Path file;
  private final long line;
  private final long column;

  public JsonStoreCorruptException(Path file, long line, long column, String problem) {
    super("JSON store file " + file + " is damaged at line " + line + ", column " + column + ": " + problem
        + ". The file was left untouched; repair it by hand or restore it from a backup, then start again.");
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public Path file() {
    return file;
  }

  public long line() {
    return line;
  }

  public long column() {
    return column;
  }
}
