package dev.tarn.executor;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * How the engine runs a statement's text: as it is when it takes no values, prepared only when it
 * does. DuckDB binds a prepared statement over Parquet scans twice, when it is prepared and again
 * when it is executed, and binding reads the files' footers: a quarter of a short TPC-H query's
 * time (benchmarks/README.md, B2). Run as it is, the text is bound and planned once.
 */
final class EngineStatements {
  private EngineStatements() {}

  /** A statement for {@code sql} that will take {@code values}; nothing runs yet. */
  static Statement open(DuckDBConnection connection, String sql, List<?> values) throws SQLException {
    return values.isEmpty() ? connection.createStatement() : connection.prepareStatement(sql);
  }

  /**
   * Runs {@code sql} on a statement {@link #open} gave for the same text and values.
   *
   * @return whether it produced a result set, as {@link Statement#execute} tells
   */
  static boolean execute(Statement statement, String sql, List<?> values) throws SQLException {
    if (values.isEmpty()) {
      return statement.execute(sql);
    }
    PreparedStatement prepared = (PreparedStatement) statement;
    for (int i = 0; i < values.size(); i++) {
      prepared.setObject(i + 1, values.get(i));
    }
    return prepared.execute();
  }
}
