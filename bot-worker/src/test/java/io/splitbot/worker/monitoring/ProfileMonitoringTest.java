package io.splitbot.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Coverage and quality per platform come from counts kept as profiles are written, never from reading every user per
 * request; a platform whose captured profiles lack real first names raises the profile_quality alert: one WARN when it
 * starts, the gauge at 1, one INFO when it clears.
 */
class ProfileMonitoringTest {
  private Vertx vertx;
  private JsonStorage json;
  private CountingStorage storage;
  private ProfileStatistics statistics;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    json = new JsonStorage(vertx, dir, false);
    json.start().await();
    storage = new CountingStorage(json);
    logged.start();
    ((Logger) LoggerFactory.getLogger(MonitoringAlerts.class)).addAppender(logged);
  }

  @AfterEach
  void close() {
    ((Logger) LoggerFactory.getLogger(MonitoringAlerts.class)).detachAppender(logged);
    if (statistics != null) {
      statistics.stop();
    }
    json.close().await();
    vertx.close().await();
  }

  private void upsert(UserProfile p) {
    storage.users().upsert(p).await();
  }

  private static UserProfile webhook(String platform, long id, String first, String last, String username) {
    return UserProfile.fromWebhook(platform, id, first, last, username, "ru");
  }

  @Test
  void coverageAndQualityArePerPlatformAndKeptWithoutReadingEveryUserPerRequest() {
    upsert(webhook("telegram", 5, "Anna", "Petrova", "anna"));
    upsert(webhook("telegram", 6, "Oleg", null, null));
    upsert(new UserProfile("telegram", 7, "Staff", "Member", null, null, UserProfile.SOURCE_MANUAL, null, null));
    upsert(webhook("max", 5, "boris", null, "boris")); // the username where the name should be
    upsert(webhook("max", 6, "6", null, null));         // the id where the name should be

    MonitoringAlerts alerts = new MonitoringAlerts(AlertThresholds.defaults());
    statistics = new ProfileStatistics(storage);
    statistics.start(vertx);
    ProfileCoverage coverage = new ProfileCoverage(statistics, alerts);
    ProfileQuality quality = new ProfileQuality(statistics, alerts);
    JsonObject c = coverage.report().await();
    int readsAfterTheCount = storage.userReads.get();
    assertTrue(readsAfterTheCount >= 1, "the users were counted once");

    assertEquals(5, c.getLong("users"), c.encodePrettily());
    JsonObject telegram = c.getJsonObject("platforms").getJsonObject("telegram");
    assertEquals(3, telegram.getLong("users"));
    assertEquals(3, telegram.getLong("with_real_name"));
    assertEquals(new JsonObject().put("users", 2).put("with_real_name", 2).put("share", 1.0),
        telegram.getJsonObject("by_source").getJsonObject("webhook"));
    JsonObject max = c.getJsonObject("platforms").getJsonObject("max");
    assertEquals(new JsonObject().put("users", 2).put("with_real_name", 0).put("share", 0.0).put("by_source", new JsonObject()
        .put("manual", new JsonObject().put("users", 0).put("with_real_name", 0).putNull("share"))
        .put("webhook", new JsonObject().put("users", 2).put("with_real_name", 0).put("share", 0.0))), max);

    JsonObject q = quality.report().await();
    JsonObject tq = q.getJsonObject("platforms").getJsonObject("telegram");
    assertEquals(2, tq.getLong("profiles"), "staff's profile is not the platform's: " + q.encodePrettily());
    assertEquals(new JsonObject().put("count", 2).put("ratio", 1.0), tq.getJsonObject("real_first_name"));
    assertEquals(new JsonObject().put("count", 1).put("ratio", 0.5), tq.getJsonObject("last_name"));
    assertEquals(new JsonObject().put("count", 1).put("ratio", 0.5), tq.getJsonObject("username"));
    JsonObject mq = q.getJsonObject("platforms").getJsonObject("max");
    assertEquals(new JsonObject().put("count", 0).put("ratio", 0.0), mq.getJsonObject("real_first_name"));
    assertEquals(new JsonObject().put("count", 1).put("ratio", 0.5), mq.getJsonObject("username"));
    assertEquals(0.8, q.getDouble("threshold"));
    assertEquals(new JsonArray().add(new JsonObject().put("name", "profile_quality").put("platform", "max")
        .put("value", 0.0).put("threshold", 0.8)), q.getJsonArray("alerts"));

    // Many requests and new captures later: the counts follow the writes, and nobody read the users again.
    for (int i = 0; i < 20; i++) {
      coverage.report().await();
      quality.report().await();
    }
    upsert(webhook("max", 5, "Boris", "Ivanov", "boris"));  // MAX user 5 now gives a real name
    upsert(webhook("max", 7, "Vera", null, null));
    upsert(webhook("telegram", 5, "Anna", "Petrova", "anna2"));
    q = quality.report().await();
    mq = q.getJsonObject("platforms").getJsonObject("max");
    assertEquals(3, mq.getLong("profiles"));
    assertEquals(new JsonObject().put("count", 2).put("ratio", 0.6667), mq.getJsonObject("real_first_name"));
    assertEquals(new JsonObject().put("count", 1).put("ratio", 0.3333), mq.getJsonObject("last_name"));
    assertEquals(6, coverage.report().await().getLong("users"), "an update of a known user is not a new user");
    assertEquals(readsAfterTheCount, storage.userReads.get(), "no request read the users: " + storage.userReads);

    // A recount takes in what was written past this process (another worker, the CLI, staff in Airtable).
    json.records(Kinds.USERS).putAll(List.of(webhook("max", 8, "Gleb", null, null)), true).await();
    assertEquals(3, quality.report().await().getJsonObject("platforms").getJsonObject("max").getLong("profiles"));
    statistics.recount().await();
    assertEquals(4, quality.report().await().getJsonObject("platforms").getJsonObject("max").getLong("profiles"));
  }

  @Test
  void aPlatformBelowTheQualityThresholdRaisesTheAlertOnceAndClearsIt() {
    MonitoringAlerts alerts = new MonitoringAlerts(new AlertThresholds(0.8, 0.05));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics.bindAlerts(registry, alerts);
    statistics = new ProfileStatistics(storage);
    statistics.start(vertx);
    ProfileQuality quality = new ProfileQuality(statistics, alerts);
    upsert(webhook("telegram", 1, "Anna", null, null));
    for (long id = 1; id <= 4; id++) {
      upsert(webhook("max", id, id % 2 == 0 ? "Name" + id : null, null, "u" + id)); // half without a first name
    }
    assertEquals(0.5, quality.report().await().getJsonArray("alerts").getJsonObject(0).getDouble("value"));
    quality.report().await();
    quality.report().await();
    assertEquals(List.of("WARN alert profile_quality started on max: 0.5 of the profiles captured have a real first name,"
        + " below PROFILE_QUALITY_ALERT_THRESHOLD 0.8"), lines(), "one WARN however often it is checked");
    assertTrue(registry.scrape().contains("splitbot_alert{alert=\"profile_quality\",platform=\"max\"} 1.0"), registry.scrape());
    assertTrue(registry.scrape().contains("splitbot_alert{alert=\"profile_quality\",platform=\"telegram\"} 0.0"));
    assertTrue(registry.scrape().contains("splitbot_alert_value{alert=\"profile_quality\",platform=\"max\"} 0.5"));
    assertTrue(registry.scrape().contains("splitbot_alert_threshold{alert=\"profile_quality\"} 0.8"));

    for (long id = 5; id <= 20; id++) {
      upsert(webhook("max", id, "Name" + id, null, null)); // 18 of 20 now: 0.9
    }
    JsonObject cleared = quality.report().await();
    quality.report().await();
    assertEquals(new JsonArray(), cleared.getJsonArray("alerts"));
    assertEquals(2, lines().size(), lines().toString());
    assertEquals("INFO alert profile_quality cleared on max: 0.9 of the profiles captured have a real first name"
        + " (threshold 0.8)", lines().get(1));
    assertTrue(registry.scrape().contains("splitbot_alert{alert=\"profile_quality\",platform=\"max\"} 0.0"));
  }

  @Test
  void theWebhookErrorRateOfEachPlatformIsItsLastMinutesFailedShare() {
    MonitoringAlerts alerts = new MonitoringAlerts(new AlertThresholds(0.8, 0.05));
    PlatformUpdates updates = new PlatformUpdates().start(vertx);
    Function<UpdateEnvelope, Future<HandleReply>> process = updates.counting(u -> u.order() % 10 == 0
        ? Future.failedFuture(new IllegalStateException("store down"))
        : Future.succeededFuture(u.order() % 10 == 1 ? HandleReply.DUPLICATE : HandleReply.HANDLED));
    for (long id = 1; id <= 20; id++) {
      process.apply(new UpdateEnvelope("max", "m" + id, "c", id, "{}")).otherwiseEmpty().await();
      process.apply(new UpdateEnvelope("telegram", String.valueOf(id * 10 + 1), "c", id * 10 + 1, "{}")).await();
    }
    JsonObject report = updates.report();
    assertEquals(new JsonObject().put("received", 20).put("handled", 16).put("deduplicated", 2).put("dead_lettered", 0)
        .put("retry_later", 2).put("joined", 0), report.getJsonObject("max").getJsonObject("totals"));
    assertEquals(0.1, report.getJsonObject("max").getDouble("error_rate"));

    // A copy that arrives while the update runs (the edge retried) shares its outcome: one update handled, one join.
    io.vertx.core.Promise<HandleReply> slow = io.vertx.core.Promise.promise();
    PlatformUpdates joining = new PlatformUpdates();
    Function<UpdateEnvelope, Future<HandleReply>> running = joining.counting(u -> slow.future());
    UpdateEnvelope update = new UpdateEnvelope("max", "slow", "c", 99, "{}");
    Future<HandleReply> first = running.apply(update);
    Future<HandleReply> copy = running.apply(update);
    slow.complete(HandleReply.HANDLED);
    first.await();
    copy.await();
    JsonObject afterJoin = joining.report().getJsonObject("max").getJsonObject("totals");
    assertEquals(1, afterJoin.getLong("received"));
    assertEquals(1, afterJoin.getLong("handled"));
    assertEquals(1, afterJoin.getLong("joined"));
    assertEquals(0.0, report.getJsonObject("telegram").getDouble("error_rate"));
    assertEquals(List.of(new MonitoringAlerts.Alert("webhook_error_rate", "max", 0.1, 0.05)),
        alerts.checkWebhookErrors(updates.errorRates()));
    alerts.checkWebhookErrors(updates.errorRates());
    assertEquals(1, lines().size(), lines().toString());
    assertTrue(lines().get(0).startsWith("WARN alert webhook_error_rate started on max: 0.1 of the last minute's updates"
        + " failed, above WEBHOOK_ERROR_ALERT_THRESHOLD 0.05"), lines().get(0));
    updates.stop();
  }

  private List<String> lines() {
    return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  /** A storage that counts the reads of the users kind: every scan, find, page and lookup by key. */
  static final class CountingStorage implements Storage {
    final AtomicInteger userReads = new AtomicInteger();
    private final Storage inner;

    CountingStorage(Storage inner) {
      this.inner = inner;
    }

    @Override
    public String backend() {
      return inner.backend();
    }

    @Override
    public Future<Void> start() {
      return inner.start();
    }

    @Override
    public Future<Void> close() {
      return inner.close();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> RecordStore<T> records(Kind<T> kind) {
      RecordStore<T> store = inner.records(kind);
      return kind != Kinds.USERS ? store : new RecordStore<>() {
        @Override
        public Kind<T> kind() {
          return kind;
        }

        @Override
        public Future<List<T>> scan(String prefix, String afterKey, int limit) {
          userReads.incrementAndGet();
          return store.scan(prefix, afterKey, limit);
        }

        @Override
        public Future<Map<String, T>> getAll(Collection<String> keys) {
          userReads.incrementAndGet();
          return store.getAll(keys);
        }

        @Override
        public Future<Void> putAll(List<T> records, boolean force) {
          return store.putAll(records, force);
        }

        @Override
        public Future<Void> deleteAll(Collection<String> keys) {
          return store.deleteAll(keys);
        }

        @Override
        public Future<Long> count() {
          userReads.incrementAndGet();
          return store.count();
        }

        @Override
        public Future<List<T>> find(Query query) {
          userReads.incrementAndGet();
          return store.find(query);
        }

        @Override
        public Future<Page<T>> page(Query query, int page, int size) {
          userReads.incrementAndGet();
          return store.page(query, page, size);
        }
      };
    }

    @Override
    public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
      return inner.apply(reads, body);
    }

    @Override
    public Future<JsonObject> health() {
      return inner.health();
    }
  }
}
