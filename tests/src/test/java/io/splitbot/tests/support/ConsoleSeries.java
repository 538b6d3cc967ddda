package io.splitbot.tests.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The worker's {@code /console/api/series} as a test reads it: the answer, and whether a series has a value yet. */
public final class ConsoleSeries {
  private ConsoleSeries() {
  }

  /** The answer from loopback, with {@code bearer} when not null; null while the worker does not answer 200. */
  public static JsonObject get(int workerPort, String bearer) {
    try {
      Http.Answer answer = Http.get(workerPort, "/console/api/series", bearer);
      return answer.status() == 200 ? answer.json() : null;
    } catch (Exception e) {
      return null;
    }
  }

  /** Whether {@code name} has a point with a value (not null) in {@code answer}. */
  public static boolean hasValue(JsonObject answer, String name) {
    return answer != null && points(answer, name).stream().anyMatch(p -> ((JsonArray) p).getValue(1) != null);
  }

  /** The sum of {@code name}'s values: for a rate, what it counted over the points (times the interval). */
  public static double sum(JsonObject answer, String name) {
    return points(answer, name).stream()
        .mapToDouble(p -> ((JsonArray) p).getValue(1) instanceof Number n ? n.doubleValue() : 0).sum();
  }

  public static JsonArray points(JsonObject answer, String name) {
    return answer.getJsonObject("series").getJsonObject(name).getJsonArray("points");
  }
}
