package dev.tarn.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One comparison of Tarn against its baseline, measured in the same run.
 *
 * <p>A benchmark without a baseline (B3 branch) uses the same shape: an absolute figure has no
 * baseline and no ratio (both NaN, shown as {@code -}), and a scaling comparison puts the small case
 * in {@code baseline} and the large one in {@code tarn}.
 *
 * @param name e.g. {@code stream.native_vs_arrow_export}
 * @param baseline the baseline's figure, in {@code unit}; NaN when there is none
 * @param tarn Tarn's figure, in {@code unit}
 * @param ratio how Tarn compares, in the direction the goal is written (for throughput tarn / baseline,
 *     for times tarn / baseline); NaN when there is no baseline
 * @param unit e.g. {@code rows/s} or {@code s}
 * @param goal what the spec asks of {@code ratio}
 * @param parameters how it was measured: sizes, runs, every timing; kept in insertion order
 */
public record Result(
    String name,
    double baseline,
    double tarn,
    double ratio,
    String unit,
    Goal goal,
    Map<String, Object> parameters) {

  public Result {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** A throughput comparison (higher is better): ratio is tarn / baseline. */
  public static Result throughput(String name, double baseline, double tarn, String unit, Goal goal,
      Map<String, Object> parameters) {
    return new Result(name, baseline, tarn, tarn / baseline, unit, goal, parameters);
  }

  /**
   * A time comparison (lower is better): ratio is tarn / baseline, so 1.2x means Tarn's side took
   * 20% longer.
   */
  public static Result time(String name, double baseline, double tarn, String unit, Goal goal,
      Map<String, Object> parameters) {
    return new Result(name, baseline, tarn, tarn / baseline, unit, goal, parameters);
  }

  /** Tarn's figure alone, with no baseline and so no ratio; its goal, if any, is an absolute one. */
  public static Result absolute(String name, double tarn, String unit, Goal goal, Map<String, Object> parameters) {
    return new Result(name, Double.NaN, tarn, Double.NaN, unit, goal, parameters);
  }

  /** Whether the result meets the goal (on the ratio, or on Tarn's figure for an absolute goal), or null when there is none. */
  public Boolean goalMet() {
    return goal.metBy(goal.onTarnFigure() ? tarn : ratio);
  }
}
