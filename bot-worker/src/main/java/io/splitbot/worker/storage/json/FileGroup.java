package io.splitbot.worker.storage.json;

import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of the JSON store, one per {@link Kind#group()}. Kinds changed together by one operation share a file,
 * so that operation is one atomic file replacement (a request, its history and its assignments).
 */
final class FileGroup {
  private static final Map<String, FileGroup> ALL = new LinkedHashMap<>();

  static {
    for (Kind<?> k : Kinds.all()) {
      ALL.computeIfAbsent(k.group(), g -> new FileGroup(g + ".json")).kinds.add(k);
    }
  }

  final String fileName;
  final List<Kind<?>> kinds = new ArrayList<>();

  private FileGroup(String fileName) {
    this.fileName = fileName;
  }

  static Iterable<FileGroup> values() {
    return ALL.values();
  }

  static FileGroup of(Kind<?> kind) {
    return ALL.get(kind.group());
  }

  /** Whether {@code fileName} is the file of a group of kinds that are declared now. */
  static boolean isStoreFile(String fileName) {
    return ALL.values().stream().anyMatch(g -> g.fileName.equals(fileName));
  }
}
