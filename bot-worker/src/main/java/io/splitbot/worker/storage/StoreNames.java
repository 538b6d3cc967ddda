package io.splitbot.worker.storage;

import java.util.regex.Pattern;

/**
 * The names of key-value stores. A bot's store is 1 to 64 of a-z, 0-9, _ and -; a name with a dot is reserved
 * for the runtime's own stores (sessions use {@code splitbot.sessions}), so a bot can never reach one.
 */
public final class StoreNames {
  private static final Pattern BOT = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Pattern ANY = Pattern.compile("[a-z0-9_.-]{1,64}");

  private StoreNames() {
  }

  /** A name a bot may give; throws IllegalArgumentException naming the rule. */
  public static String checkBotName(String name) {
    if (name == null || !BOT.matcher(name).matches()) {
      throw new IllegalArgumentException("a store name is 1 to 64 of a-z, 0-9, _ and - (names with a dot are the "
          + "runtime's), got '" + name + "'");
    }
    return name;
  }

  /** A bot's name or the runtime's (which may hold dots); throws IllegalArgumentException naming the rule. */
  public static String check(String name) {
    if (name == null || !ANY.matcher(name).matches()) {
      throw new IllegalArgumentException("a store name is 1 to 64 of a-z, 0-9, _, - and (for the runtime's stores) ., "
          + "got '" + name + "'");
    }
    return name;
  }
}
