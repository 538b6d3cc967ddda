package io.splitbot.worker.monitoring;

import io.splitbot.worker.monitoring.ProfileStatistics.Snapshot;
import io.splitbot.worker.monitoring.ProfileStatistics.Tally;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /monitoring/profiles/quality}: per platform, how complete the profiles captured from updates
 * ({@code profile_source=webhook}; staff's own entries say nothing about a platform) are, over the same users as
 * coverage (every stored one): how many have a real first name (present, and not just the username or the id), a
 * last name and a username, with their ratios. A platform whose real-first-name ratio is below
 * PROFILE_QUALITY_ALERT_THRESHOLD has a {@code profile_quality} alert in {@code alerts}.
 */
public final class ProfileQuality {
  private final ProfileStatistics statistics;
  private final MonitoringAlerts alerts;

  public ProfileQuality(ProfileStatistics statistics, MonitoringAlerts alerts) {
    this.statistics = statistics;
    this.alerts = alerts;
  }

  public Future<JsonObject> report() {
    return statistics.snapshot().map(s -> {
      JsonObject platforms = new JsonObject();
      s.platforms().forEach(p -> platforms.put(p, quality(s.of(p, UserProfile.SOURCE_WEBHOOK))));
      return new JsonObject()
          .put("profiles", "captured from updates (profile_source=webhook), every one stored")
          .put("all", quality(s.of(null, UserProfile.SOURCE_WEBHOOK)))
          .put("platforms", platforms)
          .put("threshold", alerts.thresholds().profileQuality())
          .put("alerts", MonitoringAlerts.toJson(alerts.checkProfileQuality(s.realFirstNameShares())))
          .put("counted_at", String.valueOf(s.countedAt()));
    });
  }

  private static JsonObject quality(Tally t) {
    return new JsonObject()
        .put("profiles", t.users())
        .put("real_first_name", part(t.withRealFirstName(), t.users()))
        .put("last_name", part(t.withLastName(), t.users()))
        .put("username", part(t.withUsername(), t.users()));
  }

  private static JsonObject part(long count, long of) {
    return new JsonObject().put("count", count).put("ratio", Ratios.of(count, of));
  }
}
