package dev.tarn.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the command line asked of a benchmark. Each benchmark picks its own defaults for what was
 * not given, through {@link #rows(long, long)} and {@link #runs(int)}.
 *
 * @param quick a small version that checks answers; its timings mean nothing
 * @param rows {@code --rows}, when given
 * @param runs {@code --runs}, when given: timed repeats after the warm-up; the median is reported
 * @param outDir where result files go
 * @param settings benchmark-specific {@code --set key=value} pairs
 * @param log where progress and detail tables are printed
 */
public record BenchParams(
    boolean quick,
    OptionalLong rows,
    OptionalInt runs,
    Path outDir,
    Map<String, String> settings,
    PrintStream log) {

  public BenchParams {
    settings = Map.copyOf(settings);
    if (rows.isPresent() && rows.getAsLong() < 1) {
      throw new IllegalArgumentException("--rows must be at least 1");
    }
    if (runs.isPresent() && runs.getAsInt() < 1) {
      throw new IllegalArgumentException("--runs must be at least 1");
    }
  }

  /** Quick parameters writing nowhere in particular: what tests use. */
  public static BenchParams quick(Path outDir, PrintStream log) {
    return new BenchParams(true, OptionalLong.empty(), OptionalInt.empty(), outDir, Map.of(), log);
  }

  /** {@code --rows} if given, else {@code quickDefault} or {@code fullDefault}. */
  public long rows(long fullDefault, long quickDefault) {
    return rows.orElse(quick ? quickDefault : fullDefault);
  }

  /** {@code --runs} if given, else 1 when quick (timings mean nothing) or {@code fullDefault}. */
  public int runs(int fullDefault) {
    return runs.orElse(quick ? 1 : fullDefault);
  }

  /** A {@code --set} value, or {@code fallback}. */
  public String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  /** A {@code --set} count (0 or more), or {@code fallback}; anything else is a usage error naming the key. */
  public int count(String key, int fallback) {
    String value = settings.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--set " + key + ": not a count: " + value);
  }
}
