package dev.tarn.executor.pipeline;

import java.util.Locale;

/**
 * What a model's output does to its table on the run's branch: Bauplan's {@code
 * materialization_strategy}. {@code materialize=True} is {@link #REPLACE}.
 */
public enum Materialization {
  /** Not written: the output lives only for the run. */
  NONE,
  /** The table becomes the output (created, or replaced with the output's schema). */
  REPLACE,
  /** The output's rows are added to the table (created when absent). */
  APPEND;

  /**
   * The strategy a model declares ({@code NONE}, {@code REPLACE}, {@code APPEND}, any case).
   *
   * @throws PipelinePlanException naming the model and the strategies when it is none of them
   */
  public static Materialization named(String strategy, String model) {
    String normalized = strategy.strip().toUpperCase(Locale.ROOT);
    for (Materialization m : values()) {
      if (m.name().equals(normalized)) {
        return m;
      }
    }
    String hint = normalized.equals("OVERWRITE_PARTITIONS")
        ? " (Tarn does not overwrite partitions: use REPLACE or APPEND)" : "";
    throw new PipelinePlanException(model + ": materialization_strategy '" + strategy
        + "' is not one of NONE, REPLACE, APPEND" + hint);
  }
}
