package dev.tarn.executor.pipeline;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.QueryRules;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * SQL text a project supplies (SQL models, input filters), judged by DuckDB's own reading in exactly
 * the form Tarn embeds it in its statements ({@link QueryRules}): a model must be one query, a filter
 * one condition, so that nothing can run beside the statement Tarn builds around them.
 */
final class SqlText {
  private SqlText() {}

  /** How a filter is embedded in a query: on lines of its own, so a trailing comment swallows nothing. */
  static String where(String filter) {
    return " WHERE (" + filter + "\n)";
  }

  /** Throws unless a SQL model's text is one query DuckDB may run; {@code model} names it in the error. */
  static void checkModel(Connection c, String model, String sql) {
    try {
      QueryRules.check(c, sql);
    } catch (EngineException | SQLException e) {
      throw new StepFailedException(model + " must be a single query that reads only its inputs: "
          + e.getMessage(), null);
    }
  }

  /** Throws, naming what it filters, unless the filter is one condition DuckDB may run. */
  static void checkFilter(Connection c, String filter, String what) {
    try {
      QueryRules.check(c, "SELECT 1" + where(filter));
    } catch (EngineException | SQLException e) {
      throw new StepFailedException("the filter '" + filter + "' on " + what + " must be one SQL condition: "
          + e.getMessage(), null);
    }
  }
}
