package dev.tarn.bench.movement;

import dev.tarn.bench.WrongAnswerException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * B4's table, made in DuckDB, and the checksum every table that comes back is compared with: the
 * row count, the column types, and the sum of a hash of every row's values (order-independent, and
 * exact because the sum is a HUGEINT).
 */
final class MovementTable {
  /** Columns of a typical fact table: BIGINT id, DOUBLE amount, VARCHAR name, TIMESTAMP. */
  static final String COLUMNS = "id BIGINT, usd DOUBLE, customer VARCHAR, event_time TIMESTAMP";

  private MovementTable() {}

  /** Creates {@code name} with {@code rows} rows: distinct ids, 100,003 customer names, one second apart. */
  static void create(Connection duckdb, String name, long rows) throws SQLException {
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE OR REPLACE TABLE " + name + " (" + COLUMNS + ")");
      s.execute("INSERT INTO " + name + " SELECT range, range * 0.25, 'customer ' || (range % 100003),"
          + " TIMESTAMP '2023-01-01 00:00:00' + to_seconds(range) FROM range(" + rows + ")");
    }
  }

  /**
   * What a table holds, as far as a hand-off can change it.
   *
   * @param rows its row count
   * @param types its column names and types, in order
   * @param rowHashSum the sum over its rows of DuckDB's {@code hash(id, usd, customer, event_time)}
   */
  record Checksum(long rows, List<String> types, BigInteger rowHashSum) {}

  static Checksum checksum(Connection duckdb, String table) throws SQLException {
    List<String> types = new ArrayList<>();
    try (Statement s = duckdb.createStatement()) {
      try (ResultSet rs = s.executeQuery("DESCRIBE " + table)) {
        while (rs.next()) {
          types.add(rs.getString("column_name") + " " + rs.getString("column_type"));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(hash(id, usd, customer, event_time))::VARCHAR FROM "
          + table)) {
        rs.next();
        String sum = rs.getString(2);
        return new Checksum(rs.getLong(1), types, sum == null ? BigInteger.ZERO : new BigInteger(sum));
      }
    }
  }

  /**
   * Throws unless the table a side handed back is the table it was handed, and its model process
   * reported the right row count.
   */
  static void check(String side, Checksum expected, Checksum actual, long rowsReported) {
    if (rowsReported != expected.rows()) {
      throw new WrongAnswerException(side + ": the model process reported " + rowsReported + " rows, expected "
          + expected.rows());
    }
    if (!expected.equals(actual)) {
      throw new WrongAnswerException(side + ": the table handed back differs from the one handed over: "
          + actual + ", expected " + expected);
    }
  }
}
