package dev.tarn.sql;

import java.util.Objects;

/**
 * {@code EXPLAIN [ANALYZE] statement}.
 *
 * @param analyze {@code EXPLAIN ANALYZE}, which runs the statement to measure it
 * @param statement the text of the statement explained
 */
public record Explain(boolean analyze, String statement) {
  public Explain {
    Objects.requireNonNull(statement, "statement");
  }
}
