package dev.tarn.bench;

import java.util.Locale;

/**
 * The spec's goal for a result: a ratio of at least (throughput ratios) or at most (time ratios) a
 * target, an absolute figure below a target (a latency budget such as {@code < 10 ms}, checked on
 * Tarn's own figure), or none when a comparison is reported for information.
 *
 * @param kind what is compared, and how
 * @param target the figure to reach
 * @param unit the target's unit for {@link Kind#BELOW} (e.g. {@code ms}); null for ratio goals
 */
public record Goal(Kind kind, double target, String unit) {

  public enum Kind {
    AT_LEAST,
    AT_MOST,
    /** Tarn's figure itself, not the ratio, must be strictly below the target. */
    BELOW,
    NONE
  }

  public static Goal atLeast(double target) {
    return new Goal(Kind.AT_LEAST, target, null);
  }

  public static Goal atMost(double target) {
    return new Goal(Kind.AT_MOST, target, null);
  }

  /** An absolute budget on Tarn's figure, in the result's unit: {@code below(10, "ms")} reads {@code < 10 ms}. */
  public static Goal below(double target, String unit) {
    return new Goal(Kind.BELOW, target, unit);
  }

  public static Goal none() {
    return new Goal(Kind.NONE, Double.NaN, null);
  }

  /** Whether the goal is checked on Tarn's figure rather than on the ratio. */
  public boolean onTarnFigure() {
    return kind == Kind.BELOW;
  }

  /**
   * Whether {@code value} meets the goal, or null when there is no goal. The value is the ratio, or
   * Tarn's figure when {@link #onTarnFigure()}; {@link Result#goalMet()} passes the right one.
   */
  public Boolean metBy(double value) {
    return switch (kind) {
      case AT_LEAST -> value >= target;
      case AT_MOST -> value <= target;
      case BELOW -> value < target;
      case NONE -> null;
    };
  }

  /** As the table shows it: {@code >= 0.7x}, {@code <= 1.15x}, {@code < 10 ms} or {@code -}. */
  public String label() {
    return switch (kind) {
      case AT_LEAST -> ">= " + trim(target) + "x";
      case AT_MOST -> "<= " + trim(target) + "x";
      case BELOW -> "< " + trim(target) + " " + unit;
      case NONE -> "-";
    };
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
  }
}
