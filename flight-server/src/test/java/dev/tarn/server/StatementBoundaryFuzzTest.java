package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Grammar-based fuzzing of the boundary between Tarn and DuckDB, through the stock JDBC driver:
 * statement texts mixing Unicode white space, every comment form, separators, nesting and statement
 * kinds. After each, whatever its answer: the server and the connection keep serving, no file
 * appears outside the warehouse, nothing another session sees has changed, and {@code main}, which
 * the attacking session does not write (it works on its own branch), holds the rows it held.
 */
class StatementBoundaryFuzzTest {
  private static RunningServer server;
  private static Connection attacker;
  private static Connection bystander;
  private static Path outside;

  @BeforeContainer
  static void start() throws SQLException, IOException {
    outside = Files.createTempDirectory("tarn-fuzz-outside");
    server = RunningServer.start();
    attacker = server.connect();
    bystander = server.connect();
    try (Statement s = bystander.createStatement()) {
      s.executeUpdate("CREATE SCHEMA s");
      s.executeUpdate("CREATE TABLE s.t (id BIGINT, v VARCHAR)");
      s.executeUpdate("INSERT INTO s.t VALUES (1, 'a'), (2, 'b')");
      s.execute("CREATE BRANCH fuzz");
    }
    // The attacker's own writes are allowed, on its own branch: main must not change.
    try (Statement s = attacker.createStatement()) {
      s.execute("USE BRANCH fuzz");
    }
  }

  @AfterContainer
  static void stop() throws SQLException, IOException {
    attacker.close();
    bystander.close();
    server.close();
    try (Stream<Path> files = Files.walk(outside)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 200)
  void noTextEscapesTheBoundary(@ForAll("texts") String sql) throws SQLException {
    try (Statement s = attacker.createStatement()) {
      s.execute(sql);
      try (ResultSet rs = s.getResultSet()) {
        while (rs != null && rs.next()) {
          // drain: a statement that ran as a query is fine
        }
      }
    } catch (SQLException refused) {
      assertFalse(String.valueOf(refused.getMessage()).contains("\tat "), "no stack trace: " + refused.getMessage());
    }
    assertEquals(1L, single(attacker, "SELECT 1"), "the connection keeps serving after: " + sql);
    assertEquals(1L, single(bystander, "SELECT abs(-1)"), "no session redefines a function for another: " + sql);
    assertEquals(0L, single(bystander, "SELECT count(*) FROM duckdb_functions() WHERE database_name NOT IN"
        + " ('system', 'temp')"), "no shared macro appears: " + sql);
    assertEquals(0L, single(bystander, "SELECT count(*) FROM (SHOW TABLES FROM memory)"),
        "no shared table appears: " + sql);
    assertEquals(2L, single(bystander, "SELECT count(*) FROM s.t"), "main is unchanged: " + sql);
    assertEquals(List.of(), filesOutside(), "no file appears outside the warehouse: " + sql);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece = Combinators.combine(gaps(), statements(), gaps()).as((a, b, c) -> a + b + c);
    return Combinators.combine(piece, separators(), piece, Arbitraries.integers().between(0, 2))
        .as((first, separator, second, shape) -> switch (shape) {
          case 0 -> first;
          case 1 -> first + separator + second;
          default -> "(" + first + ")" + separator + second;
        });
  }

  /** White space and comments, in every form DuckDB knows and a few it does not. */
  private Arbitrary<String> gaps() {
    Arbitrary<String> one = Arbitraries.of("", " ", "\t", "\n", "\r", "\r\n", "\uFEFF", "\u00A0", "\u200B", "\u2028",
        "\u3000", "\u000B", "\f", "-- c\n", "-- c\r", "-- c", "/* c */", "/* /* nested */ */", "/*", "*/", "--\r\n",
        "\u037E");
    return one.list().ofMaxSize(3).map(parts -> String.join("", parts));
  }

  private Arbitrary<String> separators() {
    return Arbitraries.of(";", "; ", ";\r", "\n;\n", " -- x\r;", "/* ; */", "';'", "$$;$$", "\";\"", "\u037E");
  }

  /** Statements of every kind: allowed queries and writes of a temporary table, and what must never run. */
  private Arbitrary<String> statements() {
    String file = outside.resolve("f.csv").toString().replace("'", "''");
    Arbitrary<String> fixed = Arbitraries.of(
        "SELECT 1", "SELECT * FROM s.t", "VALUES (1)", "SHOW TABLES", "DESCRIBE s.t", "EXPLAIN SELECT 1",
        "EXPLAIN ANALYZE SELECT 1", "COPY (SELECT 1) TO '" + file + "'", "COPY s.t TO '" + file + "'",
        "EXPORT DATABASE '" + outside.toString().replace("'", "''") + "'", "ATTACH ':memory:' AS x",
        "CREATE MACRO abs(x) AS 999", "CREATE OR REPLACE MACRO memory.main.abs(x) AS 999",
        "CREATE TABLE memory.main.leak AS SELECT 1", "CREATE OR REPLACE VIEW memory.main.v AS SELECT 1",
        "INSTALL httpfs", "LOAD httpfs", "SET threads = 1", "PRAGMA threads = 1",
        "PREPARE q AS COPY (SELECT 1) TO '" + file + "'", "EXECUTE q", "EXPLAIN ANALYZE COPY (SELECT 1) TO '" + file
            + "'", "SELECT * FROM query('COPY (SELECT 1) TO ''" + file + "''')",
        "SELECT * FROM read_csv('" + file + "')", "INSERT INTO s.t VALUES (3, 'c')", "DELETE FROM s.t",
        "UPDATE s.t SET v = 'x'", "CREATE TEMP TABLE tmp AS SELECT 1 AS x", "INSERT INTO tmp VALUES (2)",
        "DROP TABLE s.t", "CREATE OR REPLACE TABLE s.t AS SELECT 1", "ALTER TABLE s.t ADD COLUMN w INT",
        "BEGIN", "ROLLBACK", "CHECKPOINT", "CALL pragma_version()", "SELECT '; COPY (SELECT 1) TO ''" + file + "'''");
    Arbitrary<String> nested = Arbitraries.integers().between(1, 60)
        .map(depth -> "SELECT " + "(SELECT ".repeat(depth) + "1" + ")".repeat(depth));
    return Arbitraries.oneOf(fixed, fixed, fixed, nested);
  }

  private static long single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static List<Path> filesOutside() {
    try (Stream<Path> files = Files.list(outside)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
