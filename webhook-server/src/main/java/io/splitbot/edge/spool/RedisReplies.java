package io.splitbot.edge.spool;

import io.vertx.redis.client.Response;

/** Reading Redis replies that come as a flat [name, value, …] array under RESP2 and as a map under RESP3. */
final class RedisReplies {
  private RedisReplies() {
  }

  /** The value named {@code name} (a stream entry's field, a CONFIG GET parameter), or null. */
  static String field(Response fields, String name) {
    if (fields.isMap()) {
      return fields.containsKey(name) ? fields.get(name).toString() : null;
    }
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(fields.get(i).toString())) {
        return fields.get(i + 1).toString();
      }
    }
    return null;
  }

  /** A {@code name:value} line of an INFO section, or null. */
  static String infoField(String info, String name) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }
}
