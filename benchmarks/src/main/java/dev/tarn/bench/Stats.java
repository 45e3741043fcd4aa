package dev.tarn.bench;

import java.util.Arrays;
import java.util.List;

/** The little statistics benchmarks need. */
public final class Stats {
  private Stats() {}

  /** The median; for an even count, the mean of the two middle values. */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
