package dev.tarn.jdbc;

import java.io.Serializable;
import java.time.Duration;
import java.time.Period;

/**
 * A SQL INTERVAL as Tarn stores it: months, days and a time part kept apart, because a month has
 * no fixed number of days and a day no fixed number of hours across a daylight-saving change.
 * {@link #toString()} prints ISO 8601 ({@code P1Y2M3DT4H5M6.5S}).
 */
public record TarnInterval(int months, int days, long nanos) implements Serializable {
  /** The calendar part: years, months and days. */
  public Period period() {
    return Period.of(0, months, days).normalized();
  }

  /** The clock part: hours down to nanoseconds. */
  public Duration duration() {
    return Duration.ofNanos(nanos);
  }

  @Override
  public String toString() {
    if (months == 0 && days == 0 && nanos == 0) {
      return "PT0S";
    }
    String calendar = months == 0 && days == 0 ? "P" : period().toString();
    String clock = nanos == 0 ? "" : duration().toString().substring(1); // "T4H5M6S"
    return calendar + clock;
  }
}
