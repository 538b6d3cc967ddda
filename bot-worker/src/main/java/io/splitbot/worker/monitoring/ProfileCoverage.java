package io.splitbot.worker.monitoring;

import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /monitoring/profiles/coverage}: how many users have a real name (a first or last name, not just a
 * username or an id), overall and per {@code profile_source} ({@code webhook}: captured from updates, {@code manual}:
 * entered by staff). Reads every user, a page at a time.
 */
public final class ProfileCoverage {
  static final int PAGE = 500;

  private final io.splitbot.worker.storage.RecordStore<UserProfile> users;

  public ProfileCoverage(io.splitbot.worker.storage.Storage storage) {
    this.users = storage.records(io.splitbot.worker.storage.model.Kinds.USERS);
  }

  private static final class Tally {
    long total;
    long named;

    JsonObject toJson() {
      return new JsonObject().put("users", total).put("with_real_name", named)
          .put("share", total == 0 ? null : Math.round(named * 10_000.0 / total) / 10_000.0);
    }
  }

  public Future<JsonObject> report() {
    Map<String, Tally> bySource = new TreeMap<>();
    UserProfile.SOURCES.forEach(s -> bySource.put(s, new Tally()));
    Tally all = new Tally();
    return scan(0, all, bySource).map(v -> {
      JsonObject sources = new JsonObject();
      bySource.forEach((source, tally) -> sources.put(source, tally.toJson()));
      return all.toJson().put("by_source", sources);
    });
  }

  private Future<Void> scan(int page, Tally all, Map<String, Tally> bySource) {
    return users.page(io.splitbot.worker.storage.Query.all(), page, PAGE).compose((Page<UserProfile> p) -> {
      for (UserProfile user : p.items()) {
        boolean named = user.firstName() != null || user.lastName() != null;
        Tally source = bySource.computeIfAbsent(user.profileSource(), k -> new Tally());
        all.total++;
        source.total++;
        if (named) {
          all.named++;
          source.named++;
        }
      }
      return p.hasNext() && !p.items().isEmpty() ? scan(page + 1, all, bySource) : Future.succeededFuture();
    });
  }
}
