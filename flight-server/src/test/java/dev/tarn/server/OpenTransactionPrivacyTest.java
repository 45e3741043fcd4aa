package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Promise 4 through the stock JDBC driver: an open transaction's commits and engine catalogs are
 * invisible to every other session. Its commit hash, full or as a prefix, answers exactly like a
 * hash that names no commit, through every clause that takes one; its branch answers like a branch
 * that does not exist; the engine's catalogs cannot be listed. Once committed, the result is
 * everyone's.
 */
class OpenTransactionPrivacyTest {
  private static final Pattern TX_BRANCH = Pattern.compile("tarn_tx_[0-9a-f]+");
  private static RunningServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = RunningServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA priv");
      s.executeUpdate("CREATE TABLE priv.t (id BIGINT, v VARCHAR)");
      s.executeUpdate("INSERT INTO priv.t VALUES (1, 'public')");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anotherSessionCannotFindAnOpenTransactionsCommitsOrCatalogs() throws SQLException {
    try (Connection owner = server.connect(); Connection spy = server.connect()) {
      exec(owner, "BEGIN");
      exec(owner, "INSERT INTO priv.t VALUES (2, 'uncommitted')");
      String txHash = firstString(owner, "SHOW LOG");
      assertEquals(2L, count(owner, "SELECT count(*) FROM priv.t AT COMMIT '" + txHash + "'"),
          "the transaction finds its own commit");
      String txBranch = transactionBranch(owner, txHash);
      String absent = (txHash.startsWith("0") ? "f" : "0").repeat(txHash.length());

      for (String hash : List.of(txHash, txHash.substring(0, 12), txHash.substring(0, 8))) {
        String missing = absent.substring(0, hash.length());
        for (String template : List.of(
            "SELECT * FROM priv.t AT COMMIT '%s'",
            "SELECT * FROM main.priv.t AT COMMIT '%s'",
            "CREATE BRANCH spy_copy FROM main AT COMMIT '%s'",
            "CREATE TAG spy_tag FROM main AT COMMIT '%s'",
            "ALTER BRANCH spy_target ASSIGN TO main AT COMMIT '%s'",
            "USE REFERENCE main AT COMMIT '%s'")) {
          exec(spy, "CREATE BRANCH IF NOT EXISTS spy_target");
          String hidden = refusal(spy, String.format(template, hash));
          String nothing = refusal(spy, String.format(template, missing));
          assertEquals(nothing.replace(missing, "<hash>"), hidden.replace(hash, "<hash>"),
              "a hidden commit answers like a missing one: " + template);
        }
      }
      assertEquals(1L, count(spy, "SELECT count(*) FROM priv.t"), "the spy reads main");
      String nameNothing = "tarn_tx_00000000000000ff";
      for (String template : List.of("SHOW LOG %s", "USE BRANCH %s", "SELECT * FROM %s.priv.t",
          "CREATE BRANCH spy_from_tx FROM %s", "MERGE BRANCH %s INTO spy_target", "SHOW DIFF %s")) {
        String hidden = refusal(spy, String.format(template, txBranch));
        String nothing = refusal(spy, String.format(template, nameNothing));
        assertEquals(nothing.replace(nameNothing, "<branch>"), hidden.replace(txBranch, "<branch>"),
            "the transaction's branch answers like a missing one: " + template);
      }
      for (String sql : List.of("SELECT * FROM duckdb_databases()", "SELECT * FROM duckdb_tables()",
          "SELECT * FROM duckdb_columns()", "SELECT * FROM information_schema.tables", "SELECT * FROM pg_class",
          "SHOW ALL TABLES", "SHOW DATABASES", "SHOW SCHEMAS")) {
        assertTrue(refusal(spy, sql).contains("not allowed"), sql);
      }
      assertFalse(refusal(spy, "SHOW DATABASES").contains("lake_"), "a refusal names no catalog");

      exec(owner, "COMMIT");
      String committed = firstString(spy, "SHOW LOG main");
      assertEquals(2L, count(spy, "SELECT count(*) FROM priv.t AT COMMIT '" + committed.substring(0, 10) + "'"),
          "a committed transaction is everyone's");
      exec(spy, "CREATE BRANCH after_commit FROM main AT COMMIT '" + committed + "'");
      assertEquals(2L, count(spy, "SELECT count(*) FROM after_commit.priv.t"));
    }
  }

  /** The session's transaction branch, as a missing table's error names where it looked. */
  private static String transactionBranch(Connection owner, String txHash) {
    String message = refusal(owner, "SELECT * FROM priv.no_such_table_here AT COMMIT '" + txHash + "'");
    Matcher m = TX_BRANCH.matcher(message);
    assertTrue(m.find(), "the owner's error names its branch: " + message);
    return m.group();
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static String firstString(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  private static String refusal(Connection c, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> exec(c, sql), sql);
    assertTrue(c != null && isOpen(c), "the connection keeps serving");
    return String.valueOf(e.getMessage());
  }

  private static boolean isOpen(Connection c) {
    try {
      return !c.isClosed();
    } catch (SQLException e) {
      return false;
    }
  }
}
