package dev.tarn.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One comparison of Tarn against its baseline, measured in the same run.
 *
 * @param name e.g. {@code stream.native_vs_arrow_export}
 * @param baseline the baseline's figure, in {@code unit}
 * @param tarn Tarn's figure, in {@code unit}
 * @param ratio how Tarn compares, in the direction the goal is written (for throughput tarn / baseline)
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

  /** Whether the ratio meets the goal, or null when there is none. */
  public Boolean goalMet() {
    return goal.metBy(ratio);
  }
}
