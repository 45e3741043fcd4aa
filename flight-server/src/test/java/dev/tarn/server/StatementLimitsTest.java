package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.sql.StatementLimits;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Statements built to exhaust the server (deep nesting, huge texts, slow parses) through the stock
 * Flight SQL JDBC driver: each gets a clear error within the time limit, and the same connection
 * then runs {@code SELECT 1}. A crash of the server would end this test's JVM with it.
 */
class StatementLimitsTest {
  private static final Duration TIME_LIMIT = Duration.ofSeconds(2);

  private static String nestedSubqueries(int depth) {
    return "SELECT * FROM (".repeat(depth) + "SELECT 1 AS x" + ")".repeat(depth);
  }

  @Test
  void hostileStatementsGetClearErrorsAndTheConnectionKeepsServing() throws SQLException {
    try (RunningServer server = RunningServer.start(c -> c.withEngine(c.engine().withQueryTimeout(TIME_LIMIT)));
        Connection c = server.connect()) {
      int maxDepth = StatementLimits.DEFAULT_MAX_NESTING_DEPTH;
      int maxBytes = StatementLimits.DEFAULT_MAX_STATEMENT_BYTES;

      // About 700 nested subqueries killed the server (SIGSEGV in DuckDB's binder).
      assertRefused(c, nestedSubqueries(700), "--max-nesting-depth");
      assertRefused(c, nestedSubqueries(maxDepth + 1), "limit of " + maxDepth + " levels");
      assertEquals(1, single(c, nestedSubqueries(maxDepth)));

      // A flat 340 KB sum parsed for two minutes in Calcite; DuckDB refuses it at its expression depth
      // (or, on a loaded machine, reading it outlasts the time limit first: a clear error either way).
      assertRefused(c, "SELECT 1" + "+1".repeat(170_000), "expression depth", "--query-timeout");

      // A 7 MB IN list took 48 s and 3 GB.
      String inList = IntStream.range(0, 1_000_000).mapToObj(Integer::toString)
          .collect(Collectors.joining(",", "SELECT 1 IN (", ")"));
      assertTrue(inList.length() > 6_000_000);
      assertRefused(c, inList, "--max-statement-bytes");

      String padding = "SELECT 1 AS x -- ";
      String atLimit = padding + "é".repeat((maxBytes - padding.length()) / 2);
      assertEquals(maxBytes - 1, atLimit.getBytes(StandardCharsets.UTF_8).length);
      assertEquals(1, single(c, atLimit + "x"));
      assertRefused(c, atLimit + "é", "limit of " + maxBytes + " bytes");

      // About 1 MiB of sums that take Tarn's parser and DuckDB seconds: stopped at the time limit, in
      // whichever of them it runs out (StatementLimitsTest in sql-frontend stops the parse itself).
      String slowToParse = "SELECT " + String.join(", ", Collections.nCopies(2_400, "1" + "+1".repeat(200)));
      assertTrue(slowToParse.length() < maxBytes);
      assertRefused(c, slowToParse, "--query-timeout");
    }
  }

  @Test
  void aStatementNestedBeyondDuckDbsOwnLimitGetsDuckDbsErrorNotACrash() throws SQLException {
    // Raised limits let statements through that overflowed DuckDB's stack on ordinary Java threads.
    try (RunningServer server = RunningServer.start(c -> c.withStatementLimits(
            StatementLimits.DEFAULT_MAX_STATEMENT_BYTES, 5_000));
        Connection c = server.connect()) {
      assertEquals(1, single(c, nestedSubqueries(900)));
      assertRefused(c, nestedSubqueries(2_000), "expression depth");
      assertRefused(c, "SELECT " + "abs(".repeat(3_000) + "1" + ")".repeat(3_000), "expression depth");
      assertRefused(c, "SELECT " + "[".repeat(3_000) + "1" + "]".repeat(3_000), "expression depth");
    }
  }

  /**
   * The statement fails with one of {@code expected} in its message within the time limit; then
   * SELECT 1 works.
   */
  private static void assertRefused(Connection c, String sql, String... expected) throws SQLException {
    long start = System.nanoTime();
    SQLException e = assertThrows(SQLException.class, () -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
      }
    }, () -> sql.substring(0, 60));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    // The driver repeats the statement in its message: show the end, where the server's words are.
    String message = e.getMessage();
    String tail = message.substring(Math.max(0, message.length() - 400));
    assertTrue(java.util.Arrays.stream(expected).anyMatch(message::contains), tail);
    assertFalse(message.contains("\tat "), "no stack trace reaches the client: " + tail);
    assertTrue(seconds <= 2 * TIME_LIMIT.toSeconds() + 5, "the error took " + seconds + " s");
    assertEquals(1, single(c, "SELECT 1"));
  }

  private static int single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }
}
