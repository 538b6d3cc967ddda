package io.splitbot.worker.monitoring;

import io.splitbot.worker.monitoring.ProfileStatistics.Snapshot;
import io.splitbot.worker.monitoring.ProfileStatistics.Tally;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /monitoring/profiles/coverage}: how many users have a real name (a real first name or a last name, not
 * just a username or an id), overall, per {@code profile_source} ({@code webhook}: captured from updates,
 * {@code manual}: entered by staff), and per platform ({@code platforms}), over every stored user. The figures come
 * from {@link ProfileStatistics}, which keeps them without reading every user per request; {@code alerts} holds the
 * {@code profile_quality} alerts that are on.
 */
public final class ProfileCoverage {
  private final ProfileStatistics statistics;
  private final MonitoringAlerts alerts;

  public ProfileCoverage(ProfileStatistics statistics, MonitoringAlerts alerts) {
    this.statistics = statistics;
    this.alerts = alerts;
  }

  public Future<JsonObject> report() {
    return statistics.snapshot().map(s -> {
      JsonObject platforms = new JsonObject();
      s.platforms().forEach(p -> platforms.put(p, coverage(s, p)));
      return coverage(s, null)
          .put("platforms", platforms)
          .put("alerts", MonitoringAlerts.toJson(alerts.checkProfileQuality(s.realFirstNameShares())))
          .put("counted_at", String.valueOf(s.countedAt()));
    });
  }

  /** One platform's coverage (null: all platforms), with its split by source. */
  private static JsonObject coverage(Snapshot s, String platform) {
    JsonObject bySource = new JsonObject();
    UserProfile.SOURCES.stream().sorted().forEach(source -> bySource.put(source, share(s.of(platform, source))));
    return share(s.of(platform, null)).put("by_source", bySource);
  }

  private static JsonObject share(Tally t) {
    return new JsonObject().put("users", t.users()).put("with_real_name", t.withRealName())
        .put("share", Ratios.of(t.withRealName(), t.users()));
  }
}
