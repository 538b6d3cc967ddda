package io.splitbot.worker.storage.json;

import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import java.util.List;

/**
 * The files of the JSON store. Kinds changed together by one operation share a file, so that operation is one
 * atomic file replacement (a request, its history and its assignments).
 */
enum FileGroup {
  USERS("users.json", List.of(Kinds.USERS)),
  REQUESTS("requests.json", List.of(Kinds.REQUESTS, Kinds.COMMENTS, Kinds.STATUS_HISTORY, Kinds.ASSIGNMENTS)),
  CONVERSATIONS("conversations.json", List.of(Kinds.CONVERSATIONS)),
  COUNTERS("counters.json", List.of(Kinds.COUNTERS)),
  PROCESSED_UPDATES("processed_updates.json", List.of(Kinds.PROCESSED_UPDATES)),
  KEY_VALUE("kv.json", List.of(Kinds.KEY_VALUE));

  final String fileName;
  final List<Kind<?>> kinds;

  FileGroup(String fileName, List<Kind<?>> kinds) {
    this.fileName = fileName;
    this.kinds = kinds;
  }

  static FileGroup of(Kind<?> kind) {
    for (FileGroup g : values()) {
      if (g.kinds.contains(kind)) {
        return g;
      }
    }
    throw new IllegalArgumentException("no file for kind " + kind);
  }
}
