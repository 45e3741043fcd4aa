package dev.tarn.core.maintenance;

import java.time.Duration;

/**
 * When the server compacts tables by itself ({@code --auto-optimize}): every {@code interval} it
 * looks at each branch, and runs {@code OPTIMIZE TABLE} on each table holding at least {@code
 * smallFiles} small data files, unless the branch took a commit within the last {@code quietPeriod}
 * (its users are writing: compaction waits for a quiet moment).
 */
public record AutoOptimizePolicy(int smallFiles, Duration interval, Duration quietPeriod) {
  public static final int DEFAULT_SMALL_FILES = 32;
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(30);

  public AutoOptimizePolicy {
    if (smallFiles < 2) {
      throw new IllegalArgumentException("--auto-optimize-files must be at least 2 (compacting one file changes"
          + " nothing), not " + smallFiles);
    }
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("--auto-optimize-interval must be a positive time (as in 1m, 30s), not "
          + interval);
    }
    if (quietPeriod == null || quietPeriod.isNegative()) {
      throw new IllegalArgumentException("--auto-optimize-quiet must be a time of zero or more (as in 30s), not "
          + quietPeriod);
    }
  }

  public static AutoOptimizePolicy defaults() {
    return new AutoOptimizePolicy(DEFAULT_SMALL_FILES, DEFAULT_INTERVAL, DEFAULT_QUIET_PERIOD);
  }
}
