package io.splitbot.worker.monitoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring alerts, per platform: {@code profile_quality} (the share of captured profiles with a real first
 * name below PROFILE_QUALITY_ALERT_THRESHOLD) and {@code webhook_error_rate} (the share of the last minute's updates
 * that failed above WEBHOOK_ERROR_ALERT_THRESHOLD). Each check compares the current figures: an alert starts with one
 * WARN line and clears with one INFO line, however often it is checked in between. A platform without figures (no
 * profiles, no updates in the last minute) raises nothing.
 */
public final class MonitoringAlerts {
  private static final Logger log = LoggerFactory.getLogger(MonitoringAlerts.class);

  public static final String PROFILE_QUALITY = "profile_quality";
  public static final String WEBHOOK_ERROR_RATE = "webhook_error_rate";

  /** An alert that is on: its figure and the threshold it crossed. */
  public record Alert(String name, String platform, double value, double threshold) {
    public JsonObject toJson() {
      return new JsonObject().put("name", name).put("platform", platform).put("value", value).put("threshold", threshold);
    }
  }

  private final AlertThresholds thresholds;
  private final Map<String, Alert> active = new ConcurrentHashMap<>();
  private final Map<String, Double> values = new ConcurrentHashMap<>();

  public MonitoringAlerts(AlertThresholds thresholds) {
    this.thresholds = thresholds;
  }

  public AlertThresholds thresholds() {
    return thresholds;
  }

  /** Compares each platform's share of captured profiles with a real first name (null: none) with the threshold. */
  public List<Alert> checkProfileQuality(Map<String, Double> realFirstNameShare) {
    return check(PROFILE_QUALITY, realFirstNameShare, thresholds.profileQuality(), true,
        "of the profiles captured have a real first name", "PROFILE_QUALITY_ALERT_THRESHOLD");
  }

  /** Compares each platform's error rate of the last minute (null: no updates) with the threshold. */
  public List<Alert> checkWebhookErrors(Map<String, Double> errorRate) {
    return check(WEBHOOK_ERROR_RATE, errorRate, thresholds.webhookErrorRate(), false,
        "of the last minute's updates failed", "WEBHOOK_ERROR_ALERT_THRESHOLD");
  }

  private synchronized List<Alert> check(String name, Map<String, Double> figures, double threshold, boolean below,
      String meaning, String variable) {
    List<Alert> on = new ArrayList<>();
    figures.forEach((platform, value) -> {
      String key = name + "/" + platform;
      values.put(key, value == null ? Double.NaN : value);
      boolean crossed = value != null && (below ? value < threshold : value > threshold);
      Alert was = active.get(key);
      if (crossed) {
        Alert now = new Alert(name, platform, value, threshold);
        active.put(key, now);
        on.add(now);
        if (was == null) {
          log.warn("alert {} started on {}: {} {}, {} {} {}", name, platform, value, meaning, below ? "below" : "above",
              variable, threshold);
        }
      } else if (was != null) {
        active.remove(key);
        log.info("alert {} cleared on {}: {} {} (threshold {})", name, platform, value == null ? "no figure" : value,
            meaning, threshold);
      }
    });
    return on;
  }

  /** The alerts on now, of one kind (null: all). */
  public List<Alert> active(String name) {
    return active.values().stream().filter(a -> name == null || a.name().equals(name))
        .sorted(java.util.Comparator.comparing(Alert::name).thenComparing(Alert::platform)).toList();
  }

  /** 1 while the alert is on for the platform, else 0: the gauge {@code splitbot_alert}. */
  public double state(String name, String platform) {
    return active.containsKey(name + "/" + platform) ? 1 : 0;
  }

  /** The figure last compared (NaN before the first check or without one): the gauge {@code splitbot_alert_value}. */
  public double value(String name, String platform) {
    return values.getOrDefault(name + "/" + platform, Double.NaN);
  }

  static JsonArray toJson(List<Alert> alerts) {
    JsonArray out = new JsonArray();
    alerts.forEach(a -> out.add(a.toJson()));
    return out;
  }
}
