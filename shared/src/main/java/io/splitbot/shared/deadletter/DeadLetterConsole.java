package io.splitbot.shared.deadletter;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.redis.RedisClients;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's dead-letter commands, the same from bot-worker.jar and from webhook-server.jar: list the worker's and
 * the edge's letters, ask for a replay and wait for its outcome, drop one ({@link DeadLetterActions}, which the
 * worker's ops console runs too; here each is awaited and printed). It opens the stores from the same
 * variables the services read (REDIS_URL, else DATA_DIR), so it sees what they see. A CLI on its own thread: it awaits,
 * and never runs on an event loop. Exit codes: 0 done, 1 nothing to act on or it failed, 2 a usage error, 3 the
 * replay is still waiting for a running service.
 */
public final class DeadLetterConsole implements AutoCloseable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int STILL_WAITING = 3;

  private final Vertx vertx;
  private final Redis redis;
  private final Map<DeadLetterOwner, DeadLetterStore> stores;
  private final DeadLetterActions actions;
  private final PrintWriter out;
  private final PrintWriter err;

  private DeadLetterConsole(Vertx vertx, Redis redis, Map<DeadLetterOwner, DeadLetterStore> stores, PrintWriter out, PrintWriter err) {
    this.vertx = vertx;
    this.redis = redis;
    this.stores = stores;
    this.actions = new DeadLetterActions(vertx, stores);
    this.out = out;
    this.err = err;
  }

  /**
   * @throws IllegalArgumentException with one line naming the variable when the configuration is wrong
   */
  public static DeadLetterConsole open(Map<String, String> environment, PrintWriter out, PrintWriter err) {
    Map<String, String> env = new HashMap<>(environment);
    // Only where the stores are matters here: read as a lone worker, which needs no webhook secret.
    env.put("BOT_ROLE", "worker");
    SplitbotConfig config;
    try {
      config = SplitbotConfig.fromEnv(env, Role.ALL);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("configuration error: " + e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    Redis redis = config.redis().configured() ? RedisClients.create(vertx, config.redis()) : null;
    Map<DeadLetterOwner, DeadLetterStore> stores = new EnumMap<>(DeadLetterOwner.class);
    for (DeadLetterOwner owner : DeadLetterOwner.values()) {
      stores.put(owner, owner.open(vertx, config, redis == null ? null : RedisAPI.api(redis)));
    }
    return new DeadLetterConsole(vertx, redis, stores, out, err);
  }

  /** Every letter, the worker's and the edge's, oldest update first, each marked with where it is. */
  public int list() {
    DeadLetterActions.Listing listing = actions.list().await();
    // await() would rethrow a store's checked exception (an unreadable file) as it is; the listing names the store.
    listing.unreadable().forEach((owner, e) ->
        err.println("Cannot read the " + owner.label() + "'s dead letters: " + e.getMessage()));
    int status = listing.unreadable().isEmpty() ? OK : FAILED;
    List<DeadLetterActions.Owned> letters = listing.letters();
    if (letters.isEmpty()) {
      out.println("No dead letters.");
      return status;
    }
    out.printf("%-12s %-6s %-16s %-8s %-24s %s%n", "UPDATE", "FROM", "CHAT", "ATTEMPTS", "FAILED_AT", "ERROR");
    for (DeadLetterActions.Owned o : letters) {
      DeadLetter l = o.letter();
      out.printf("%-12s %-6s %-16s %-8d %-24s %s%s%n", l.update().key(), o.owner().label(), l.update().chatKey(),
          l.attempts(), Instant.ofEpochMilli(l.failedAtMillis()), l.error(), l.replayRequested() ? "  (replay requested)" : "");
    }
    long atEdge = letters.stream().filter(o -> o.owner() == DeadLetterOwner.EDGE).count();
    out.println(letters.size() + " dead letter(s): " + (letters.size() - atEdge) + " at the worker, " + atEdge + " at the edge.");
    return status;
  }

  /** What is wrong with an UPDATE argument, or null: a key is what {@link #list} prints, one word. */
  public static String keyProblem(String key) {
    return DeadLetterActions.keyProblem(key);
  }

  /** Flags it for replay and waits up to {@code waitSeconds} for the service that owns it to carry it out. */
  public int replay(String updateId, String from, int waitSeconds) throws InterruptedException {
    if (waitSeconds < 0) {
      err.println("--wait must be 0 or more seconds, got " + waitSeconds + ".");
      return USAGE;
    }
    DeadLetterActions.Found found = find(updateId, from);
    if (!found.found()) {
      return status(found);
    }
    DeadLetterOwner owner = found.owner();
    actions.requestReplay(owner, updateId).await();
    out.println("Replay of update " + updateId + " requested; waiting up to " + waitSeconds + " s for the " + owner.label() + ".");
    DeadLetterActions.ReplayOutcome outcome = actions.awaitReplay(owner, updateId, waitSeconds * 1000L).await();
    switch (outcome.end()) {
      case DONE -> {
        out.println("Update " + updateId + (owner == DeadLetterOwner.EDGE ? " replayed and delivered" : " replayed and handled")
            + "; it is no longer a dead letter.");
        return OK;
      }
      case FAILED_AGAIN -> {
        err.println("Update " + updateId + " failed again after " + outcome.letter().attempts() + " attempts: " + outcome.letter().error());
        return FAILED;
      }
      default -> {
        out.println(owner == DeadLetterOwner.EDGE
            ? "The edge has not delivered it yet; the replay stays requested, and a running edge delivers it once the worker takes it."
            : "No worker has taken the replay yet; it stays queued and runs when a worker is up.");
        return STILL_WAITING;
      }
    }
  }

  /** Deletes it for good. */
  public int drop(String updateId, String from) {
    DeadLetterActions.Found found = find(updateId, from);
    if (!found.found()) {
      return status(found);
    }
    actions.drop(found.owner(), updateId).await();
    out.println("Dropped the " + found.owner().label() + "'s dead letter for update " + updateId + ".");
    return OK;
  }

  /** Which store holds the update; a problem is printed with its reason. */
  private DeadLetterActions.Found find(String updateId, String from) {
    DeadLetterActions.Found found = actions.find(updateId, from).await();
    if (!found.found()) {
      err.println(found.reason() + ".");
    }
    return found;
  }

  private static int status(DeadLetterActions.Found refused) {
    return refused.problem() == DeadLetterActions.Problem.USAGE ? USAGE : FAILED;
  }

  @Override
  public void close() {
    stores.values().forEach(DeadLetterStore::close);
    if (redis != null) {
      redis.close();
    }
    vertx.close().await();
  }
}
