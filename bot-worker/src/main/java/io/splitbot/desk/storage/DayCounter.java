package io.splitbot.desk.storage;

/** The request-number counter of one day ({@code YYMMDD}); only ever grows. */
public record DayCounter(String day, long value) {
  public DayCounter {
    if (day == null || !day.matches("\\d{6}")) {
      throw new IllegalArgumentException("day must be YYMMDD, got '" + day + "'");
    }
    if (value < 0) {
      throw new IllegalArgumentException("value must be >= 0");
    }
  }
}
