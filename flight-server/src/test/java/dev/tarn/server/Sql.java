package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** One-line JDBC calls for tests: run a statement, or read the first column of a query as text. */
final class Sql {
  private Sql() {}

  static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> values(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return column(s.executeQuery(sql), 1);
    }
  }
}
