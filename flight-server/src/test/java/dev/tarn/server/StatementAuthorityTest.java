package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client SQL is judged by DuckDB's own reading of the exact text DuckDB would run, through the stock
 * Flight SQL JDBC driver: texts that Tarn's scanner and DuckDB read differently, wrappers around
 * other statements, shared catalogs, internal catalogs, table functions and files as tables.
 */
class StatementAuthorityTest {
  private static RunningServer server;
  @TempDir static Path outside;

  @BeforeAll
  static void start() throws SQLException {
    server = RunningServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA sales");
      s.executeUpdate("CREATE TABLE sales.t (id BIGINT, v VARCHAR)");
      s.executeUpdate("INSERT INTO sales.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The statement types of DuckDB's parser, each with an example and Tarn's verdict. */
  @Test
  void everyDuckDbStatementTypeHasAVerdict() throws SQLException {
    String file = outside.resolve("x.csv").toString().replace("'", "''");
    List<String> allowed = List.of(
        "SELECT 1", "VALUES (1)", "WITH a AS (SELECT 1 AS x) SELECT * FROM a", "FROM sales.t", "TABLE sales.t",
        "SHOW TABLES", "DESCRIBE sales.t", "SUMMARIZE sales.t", "EXPLAIN SELECT * FROM sales.t",
        "EXPLAIN ANALYZE SELECT count(*) FROM sales.t", "SELECT * FROM sales.t PIVOT (count(*) FOR v IN ('a', 'b'))",
        "BEGIN", "ROLLBACK", "USE sales", "USE public");
    List<String> refused = List.of(
        "COPY sales.t TO '" + file + "'", "COPY (SELECT 1) TO '" + file + "'", "EXPORT DATABASE '" + outside + "'",
        "IMPORT DATABASE '" + outside + "'", "ATTACH ':memory:' AS other", "DETACH memory", "INSTALL httpfs",
        "LOAD httpfs", "SET threads = 1", "RESET threads", "PRAGMA threads = 1", "PRAGMA version",
        "CALL pragma_version()", "PREPARE q AS SELECT 1", "EXECUTE q", "DEALLOCATE q", "CHECKPOINT", "VACUUM ANALYZE",
        "ANALYZE", "CREATE MACRO m(x) AS x", "CREATE TEMP MACRO m(x) AS x", "CREATE SEQUENCE s",
        "CREATE TYPE mood AS ENUM ('a')", "CREATE VIEW v AS SELECT * FROM read_csv('" + file + "')",
        "CREATE SECRET (TYPE s3)",
        "CREATE INDEX i ON sales.t (id)", "COMMENT ON TABLE sales.t IS 'x'", "UPDATE EXTENSIONS",
        "PIVOT sales.t ON v", "UNPIVOT sales.t ON v INTO NAME k VALUE w", "SET VARIABLE x = 1",
        "MERGE INTO sales.t USING read_csv('" + file + "') s ON s.id = t.id WHEN MATCHED THEN DELETE",
        "MERGE INTO sales.t USING sales.t s ON s.id = t.id WHEN MATCHED THEN UPDATE SET __tarn_file = 'x'",
        "EXPLAIN ANALYZE COPY (SELECT 1) TO '" + file + "'", "EXPLAIN INSERT INTO sales.t VALUES (9, 'z')",
        "INSERT INTO sales.t VALUES (9, 'z') RETURNING id", "INSERT OR REPLACE INTO sales.t VALUES (9, 'z')",
        "ALTER TABLE sales.t ADD COLUMN w INT DEFAULT 5");
    try (Connection c = server.connect()) {
      for (String sql : allowed) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
      }
      for (String sql : refused) {
        assertRefused(c, sql);
      }
    }
    assertNothingOutside();
    assertCount(3, "SELECT count(*) FROM sales.t");
  }

  /** Texts that a scanner other than DuckDB's could read differently from DuckDB. */
  @Test
  void textsReadDifferentlyNeverRunAnotherStatement() throws SQLException {
    String file = outside.resolve("leak.csv").toString().replace("'", "''");
    String copy = "COPY (SELECT * FROM sales.t) TO '" + file + "'";
    List<String> attacks = new ArrayList<>();
    for (String invisible : List.of("\uFEFF", "\u00A0", "\u200B", "\u2028", "\u3000")) {
      attacks.add(invisible + copy);
      attacks.add("SELECT 1" + invisible + ";" + copy);
    }
    attacks.add("SELECT 1 -- comment\r; " + copy);
    attacks.add("SELECT 1 /* a /* nested */ comment */; " + copy);
    attacks.add("SELECT $$ ; $$; " + copy);
    attacks.add("PREPARE q AS " + copy);
    attacks.add("EXPLAIN ANALYZE " + copy);
    attacks.add("INSERT INTO sales.t VALUES (9, 'z') -- x\r; " + copy);
    attacks.add("UPDATE sales.t SET v = 'q' -- x\r; " + copy);
    attacks.add("DELETE FROM sales.t WHERE id = 1 -- x\r; " + copy);
    attacks.add("CREATE TABLE sales.u AS SELECT 1 AS x -- x\r; " + copy);
    attacks.add("CREATE TABLE sales.u (x INT -- x\r); " + copy + "; CREATE TABLE y (z INT");
    attacks.add("ALTER TABLE sales.t ADD COLUMN w INT -- x\r; " + copy);
    attacks.add("CREATE TEMP TABLE u AS SELECT 1 AS x -- x\r; " + copy);
    try (Connection c = server.connect()) {
      for (String sql : attacks) {
        assertRefused(c, sql);
      }
      try (Statement s = c.createStatement()) {
        s.execute("SELECT E'\\'; " + copy + " --'"); // DuckDB reads one query: it may run, or fail to bind
      } catch (SQLException harmless) {
        // a query DuckDB cannot bind
      }
      try (Statement s = c.createStatement()) {
        s.executeQuery("EXECUTE q").close();
      } catch (SQLException expected) {
        // refused: EXECUTE runs a statement Tarn cannot see
      }
    }
    assertNothingOutside();
    assertCount(3, "SELECT count(*) FROM sales.t");
    assertCount(0, "SELECT count(*) FROM sales.t WHERE v = 'q'");
  }

  /** Invisible characters DuckDB skips are white space to Tarn too: the statement runs as DuckDB reads it. */
  @Test
  void invisibleLeadingCharactersAreWhiteSpace() throws SQLException {
    for (String invisible : List.of("\uFEFF", "\u00A0", "\u200B")) {
      assertCount(3, invisible + "SELECT count(*) FROM sales.t");
    }
  }

  @Test
  void noSessionChangesWhatAnotherSessionSees() throws SQLException {
    try (Connection a = server.connect(); Connection b = server.connect()) {
      for (String sql : List.of("CREATE OR REPLACE MACRO abs(x) AS 999", "CREATE OR REPLACE MACRO memory.main.abs(x) AS 999",
          "CREATE OR REPLACE VIEW memory.main.t AS SELECT 42 AS id", "CREATE SCHEMA memory.evil",
          "CREATE OR REPLACE TEMP MACRO abs(x) AS 999")) {
        assertRefused(a, sql);
      }
      try (Statement s = b.createStatement(); ResultSet rs = s.executeQuery("SELECT abs(-1)")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
    }
  }

  @Test
  void internalCatalogsAndFilesCannotBeNamed() throws SQLException {
    String head;
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW LOG main LIMIT 1")) {
      assertTrue(rs.next());
      head = rs.getString("commit_hash");
    }
    Path dataFile = server.dataFiles().stream().findFirst().orElseThrow();
    String lake = "lake_" + head.substring(0, 16);
    try (Connection c = server.connect()) {
      for (String sql : List.of(
          "SELECT * FROM " + lake + ".sales.t",
          "SELECT * FROM (SELECT 1) x, " + lake + ".sales.t",
          "SELECT * FROM sales.t WHERE id IN (SELECT id FROM " + lake + ".sales.t)",
          "SELECT * FROM '" + dataFile + "'",
          "SELECT * FROM \"" + dataFile + "\"",
          "SELECT * FROM read_parquet('" + dataFile + "')",
          "SELECT * FROM read_parquet(['" + dataFile + "'])",
          "SELECT NULL AS f FROM sales.t WHERE id = 1 UNION ALL SELECT filename FROM read_parquet(['"
              + dataFile + "', chr(47) || 'x.parquet'], filename => true)",
          "SELECT * FROM parquet_scan('" + dataFile + "')",
          "SELECT * FROM read_csv('/etc/passwd')",
          "SELECT * FROM read_text('/etc/passwd')",
          "SELECT * FROM glob('*')",
          "SELECT * FROM query('SELECT 1')",
          "SELECT * FROM query_table('sales.t')",
          "SELECT * FROM duckdb_settings()",
          "SELECT * FROM duckdb_views()",
          "SELECT * FROM duckdb_views",
          "SELECT * FROM information_schema.views",
          "SELECT * FROM pg_catalog.pg_settings",
          "SELECT sql FROM sqlite_master",
          "SELECT current_setting('allowed_directories')",
          "SELECT * FROM sales.t AT (VERSION => 1)",
          "SELECT * FROM json_execute_serialized_sql('{}')",
          "SELECT * FROM checkpoint()")) {
        assertRefused(c, sql);
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sum(range) FROM range(4)")) {
        assertTrue(rs.next());
        assertEquals(6, rs.getLong(1));
      }
    }
  }

  /** An open transaction's writes live in engine catalogs and a branch nobody else can name. */
  @Test
  void anOpenTransactionIsInvisibleToOtherSessions() throws SQLException {
    try (Connection a = server.connect(); Connection b = server.connect(); Statement sa = a.createStatement();
        Statement sb = b.createStatement()) {
      sa.execute("BEGIN");
      sa.executeUpdate("INSERT INTO sales.t VALUES (99, 'uncommitted')");
      try (ResultSet rs = sa.executeQuery("SELECT count(*) FROM sales.t")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getLong(1), "the transaction reads its own write");
      }
      String txHash;
      try (ResultSet rs = sa.executeQuery("SHOW LOG")) {
        assertTrue(rs.next());
        txHash = rs.getString(1);
      }
      assertRefused(b, "SELECT database_name FROM duckdb_databases()");
      assertRefused(b, "SELECT count(*) FROM lake_" + txHash.substring(0, 16) + ".sales.t WHERE v = 'uncommitted'");
      assertRefused(b, "SELECT count(*) FROM sales.t AT COMMIT '" + txHash + "'");
      assertRefused(b, "SELECT * FROM tarn_tx_0123456789abcdef.sales.t");
      assertRefused(b, "USE BRANCH tarn_tx_0123456789abcdef");
      assertRefused(b, "INSERT INTO tarn_tx_0123456789abcdef.sales.t VALUES (1, 'x')");
      try (ResultSet rs = sb.executeQuery("SELECT count(*) FROM sales.t")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1), "another session does not see the open transaction");
      }
      sa.execute("ROLLBACK");
    }
    assertCount(3, "SELECT count(*) FROM sales.t");
  }

  @Test
  void temporaryTablesWorkAsInDuckDbAndStayInTheirSession() throws SQLException {
    try (Connection a = server.connect(); Connection b = server.connect(); Statement s = a.createStatement()) {
      s.execute("CREATE TEMP TABLE scratch (x INTEGER, y VARCHAR)");
      assertEquals(2, s.executeUpdate("INSERT INTO scratch VALUES (1, 'one'), (2, 'two')"));
      assertEquals(1, s.executeUpdate("INSERT INTO temp.scratch SELECT id + 10, v FROM sales.t WHERE id = 1"));
      assertEquals(1, s.executeUpdate("UPDATE scratch SET y = 'uno' WHERE x = 1"));
      assertEquals(1, s.executeUpdate("DELETE FROM temp.main.scratch WHERE x = 2"));
      try (ResultSet rs = s.executeQuery("SELECT string_agg(y, ',' ORDER BY x) FROM scratch")) {
        assertTrue(rs.next());
        assertEquals("uno,a", rs.getString(1));
      }
      s.execute("CREATE TEMP VIEW big AS SELECT * FROM scratch WHERE x > 5");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM big")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
      }
      assertRefused(b, "SELECT * FROM scratch");
      assertRefused(b, "INSERT INTO temp.scratch VALUES (3, 'three')");
      s.execute("DROP VIEW big");
      s.execute("DROP TABLE scratch");
      assertRefused(a, "SELECT * FROM scratch");
    }
    assertCount(3, "SELECT count(*) FROM sales.t");
  }

  @Test
  void writesComposedFromCheckedFragmentsStillWork() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE sales.w (id BIGINT, v VARCHAR, n DECIMAL(10, 2))");
      assertEquals(2, s.executeUpdate("INSERT INTO sales.w (id, v) SELECT id, v FROM sales.t WHERE id <= 2"));
      assertEquals(1, s.executeUpdate("INSERT INTO sales.w BY NAME SELECT 'x' AS v, 7 AS id"));
      assertEquals(1, s.executeUpdate("WITH more AS (SELECT 8 AS id) INSERT INTO sales.w (id) SELECT id FROM more"));
      assertEquals(1, s.executeUpdate("UPDATE sales.w AS w SET n = 1.5, v = upper(w.v) WHERE w.id = 1"));
      assertEquals(1, s.executeUpdate("UPDATE sales.w SET v = t.v FROM sales.t t WHERE t.id = w.id + 1 AND w.id = 2"));
      assertEquals(1, s.executeUpdate("DELETE FROM sales.w USING sales.t t WHERE t.id = 3 AND w.id = 7"));
      assertEquals(1, s.executeUpdate("DELETE FROM sales.w WHERE id = 8"));
      try (ResultSet rs = s.executeQuery("SELECT string_agg(v || coalesce(CAST(n AS VARCHAR), ''), ','"
          + " ORDER BY id) FROM sales.w")) {
        assertTrue(rs.next());
        assertEquals("A1.50,c", rs.getString(1));
      }
      s.executeUpdate("DROP TABLE sales.w");
    }
  }

  private static void assertRefused(Connection c, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }, () -> "should be refused: " + sql);
    assertFalse(e.getMessage().contains("\tat "), "no stack trace reaches the client: " + e.getMessage());
    // the connection keeps serving
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
      assertTrue(rs.next());
    } catch (SQLException after) {
      throw new AssertionError("the connection stopped serving after: " + sql, after);
    }
  }

  private static void assertCount(long expected, String sql) throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      assertEquals(expected, rs.getLong(1), sql);
    }
  }

  private static void assertNothingOutside() {
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(List.of(), files.toList(), "no statement wrote a file");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
