package io.splitbot.worker.monitoring;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.storage.AsyncLoop;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many stored users each platform has, per profile source, and how many of them have a real name, a last name
 * and a username: the figures of /monitoring/profiles/coverage and /monitoring/profiles/quality, which never read
 * every user to answer.
 *
 * <p>The users are counted once at start (a scan of the users kind, {@link #PAGE} at a time), and the counts follow
 * every profile this process writes from then on (a {@link io.splitbot.worker.storage.UserRepository} listener: one
 * user's old profile out, its new one in). Other workers, the migration CLI and staff editing Airtable write past
 * this process, so the users are counted afresh every {@link #RECOUNT_MS}; a write racing a count can leave a
 * figure off by one until the next. So a GET reads counts kept incrementally between bounded periodic recounts, and
 * never starts a scan itself.
 */
public final class ProfileStatistics {
  private static final Logger log = LoggerFactory.getLogger(ProfileStatistics.class);
  static final long RECOUNT_MS = 10 * 60_000;
  /** After a first count that failed: sooner than {@link #RECOUNT_MS}, so the figures appear once the storage is back. */
  static final long RETRY_MS = 30_000;
  static final int PAGE = 500;

  /** The counts of one group of users. */
  public record Tally(long users, long withRealName, long withRealFirstName, long withLastName, long withUsername) {
    static final Tally ZERO = new Tally(0, 0, 0, 0, 0);

    Tally plus(Tally o) {
      return new Tally(users + o.users, withRealName + o.withRealName, withRealFirstName + o.withRealFirstName,
          withLastName + o.withLastName, withUsername + o.withUsername);
    }
  }

  /**
   * The counts at one moment, per platform and source.
   *
   * @param countedAt when the users were last counted in full
   */
  public record Snapshot(Map<String, Map<String, Tally>> counts, Instant countedAt) {
    /** The platforms that have users, and those every breakdown shows. */
    public List<String> platforms() {
      List<String> all = new java.util.ArrayList<>(PlatformUpdates.PLATFORMS);
      counts.keySet().stream().filter(p -> !all.contains(p)).sorted().forEach(all::add);
      return all;
    }

    /**
     * Per platform, the share of the profiles captured from updates that have a real first name (null: none): the
     * figure the profile_quality alert compares.
     */
    public Map<String, Double> realFirstNameShares() {
      Map<String, Double> shares = new LinkedHashMap<>();
      platforms().forEach(p -> {
        Tally t = of(p, UserProfile.SOURCE_WEBHOOK);
        shares.put(p, Ratios.of(t.withRealFirstName(), t.users()));
      });
      return shares;
    }

    /** One platform's users of one source; a null platform or source takes them all. */
    public Tally of(String platform, String source) {
      Tally sum = Tally.ZERO;
      for (Map.Entry<String, Map<String, Tally>> p : counts.entrySet()) {
        if (platform == null || platform.equals(p.getKey())) {
          for (Map.Entry<String, Tally> s : p.getValue().entrySet()) {
            if (source == null || source.equals(s.getKey())) {
              sum = sum.plus(s.getValue());
            }
          }
        }
      }
      return sum;
    }
  }

  private static final int USERS = 0;
  private static final int REAL_NAME = 1;
  private static final int REAL_FIRST_NAME = 2;
  private static final int LAST_NAME = 3;
  private static final int USERNAME = 4;

  private final Storage storage;
  private final RecordStore<UserProfile> users;
  private final Comparator<String> keyOrder = Kinds.USERS.keyOrder();
  /** platform → source → the five counts; null until the first count has finished. */
  private Map<String, Map<String, long[]>> live;
  private Instant countedAt;
  /** The count under way, its last key read (writes up to it are added to it too), and its future. */
  private Map<String, Map<String, long[]>> counting;
  private String countedUpTo;
  private Future<Void> recount;
  private Runnable unlisten;
  private Vertx vertx;
  private long timer = -1;

  public ProfileStatistics(Storage storage) {
    this.storage = storage;
    this.users = storage.records(Kinds.USERS);
  }

  /** Follows the writes from now on, counts the users, and counts them again every {@link #RECOUNT_MS}. */
  public synchronized void start(Vertx vertx) {
    this.vertx = vertx;
    unlisten = storage.users().listen(this::written);
    timer = vertx.setPeriodic(RECOUNT_MS, id -> recount());
    recount();
  }

  public synchronized void stop() {
    if (unlisten != null) {
      unlisten.run();
    }
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * The counts now; before the first count has finished, once it has. A reader never starts a count (a GET must not
   * cost a scan of every user): with no count done and none under way (the first failed), it fails until the retry
   * {@link #RETRY_MS} later has counted.
   */
  public Future<Snapshot> snapshot() {
    Future<Void> under;
    synchronized (this) {
      if (live != null) {
        return Future.succeededFuture(copy());
      }
      under = recount;
    }
    if (under == null) {
      return Future.failedFuture("the users are not counted yet (the storage did not answer); counting again shortly");
    }
    return under.map(v -> {
      synchronized (this) {
        return copy();
      }
    });
  }

  /** Counts every user afresh, a page at a time, unless a count is under way already (then that one's future). */
  public synchronized Future<Void> recount() {
    if (recount != null) {
      return recount;
    }
    counting = new LinkedHashMap<>();
    countedUpTo = null;
    Promise<Void> done = Promise.promise();
    recount = done.future(); // set first: with a store that answers at once, the count ends inside the loop below
    AsyncLoop.whileTrue(() -> users.scan(countedUpTo(), PAGE).map(page -> {
      synchronized (this) {
        page.forEach(p -> add(counting, p, 1));
        if (!page.isEmpty()) {
          countedUpTo = Kinds.USERS.key(page.get(page.size() - 1));
        }
      }
      return page.size() >= PAGE;
    })).onComplete(ar -> {
      synchronized (this) {
        if (ar.succeeded()) {
          live = counting;
          countedAt = Instant.now();
        } else {
          log.warn("profile statistics: could not count the users: {}", Redactor.mask(String.valueOf(ar.cause().getMessage())));
          if (live == null && vertx != null && timer >= 0) {
            vertx.setTimer(RETRY_MS, id -> retryFirstCount());
          }
        }
        counting = null;
        recount = null;
      }
      done.handle(ar);
    });
    return done.future();
  }

  private void retryFirstCount() {
    synchronized (this) {
      if (live != null || timer < 0) {
        return;
      }
    }
    recount();
  }

  private synchronized String countedUpTo() {
    return countedUpTo;
  }

  /** One user's profile changed: its old counts out, its new ones in, here and in a count that has read past it. */
  synchronized void written(UserProfile before, UserProfile after) {
    if (live != null) {
      change(live, before, after);
    }
    if (counting != null && countedUpTo != null
        && keyOrder.compare(UserProfile.key(after.platform(), after.userId()), countedUpTo) <= 0) {
      change(counting, before, after);
    }
  }

  private static void change(Map<String, Map<String, long[]>> into, UserProfile before, UserProfile after) {
    if (before != null) {
      add(into, before, -1);
    }
    add(into, after, 1);
  }

  private static void add(Map<String, Map<String, long[]>> into, UserProfile p, int sign) {
    long[] c = into.computeIfAbsent(p.platform(), k -> new TreeMap<>())
        .computeIfAbsent(p.profileSource(), k -> new long[5]);
    c[USERS] += sign;
    c[REAL_NAME] += p.hasRealFirstName() || p.lastName() != null ? sign : 0;
    c[REAL_FIRST_NAME] += p.hasRealFirstName() ? sign : 0;
    c[LAST_NAME] += p.lastName() != null ? sign : 0;
    c[USERNAME] += p.username() != null ? sign : 0;
  }

  private Snapshot copy() {
    Map<String, Map<String, Tally>> out = new TreeMap<>();
    live.forEach((platform, sources) -> {
      Map<String, Tally> own = new TreeMap<>();
      sources.forEach((source, c) -> own.put(source,
          new Tally(c[USERS], c[REAL_NAME], c[REAL_FIRST_NAME], c[LAST_NAME], c[USERNAME])));
      out.put(platform, Collections.unmodifiableMap(own));
    });
    return new Snapshot(Collections.unmodifiableMap(out), countedAt);
  }
}
