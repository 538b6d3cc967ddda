package io.splitbot.desk.numbering;

import io.vertx.core.Future;

/** Hands out request numbers {@code YYMMDD-NNN}, counted per day, never the same one twice. */
public interface RequestNumbers {
  Future<String> next();

  /** {@code 250927-001}; past 999 the counter simply grows a digit ({@code 250927-1000}). */
  static String format(String day, long n) {
    return day + "-" + String.format("%03d", n);
  }
}
