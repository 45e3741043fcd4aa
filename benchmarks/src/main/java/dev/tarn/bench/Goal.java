package dev.tarn.bench;

import java.util.Locale;

/**
 * The spec's goal for a ratio: at least (throughput ratios) or at most (time ratios) a target, or
 * none when a comparison is reported for information.
 */
public record Goal(Kind kind, double target) {

  public enum Kind {
    AT_LEAST,
    AT_MOST,
    NONE
  }

  public static Goal atLeast(double target) {
    return new Goal(Kind.AT_LEAST, target);
  }

  public static Goal atMost(double target) {
    return new Goal(Kind.AT_MOST, target);
  }

  public static Goal none() {
    return new Goal(Kind.NONE, Double.NaN);
  }

  /** Whether {@code ratio} meets the goal, or null when there is no goal. */
  public Boolean metBy(double ratio) {
    return switch (kind) {
      case AT_LEAST -> ratio >= target;
      case AT_MOST -> ratio <= target;
      case NONE -> null;
    };
  }

  /** As the table shows it: {@code >= 0.7x}, {@code <= 1.15x} or {@code -}. */
  public String label() {
    return switch (kind) {
      case AT_LEAST -> ">= " + trim(target) + "x";
      case AT_MOST -> "<= " + trim(target) + "x";
      case NONE -> "-";
    };
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
  }
}
