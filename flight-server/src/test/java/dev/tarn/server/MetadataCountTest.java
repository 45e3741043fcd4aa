package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code SELECT count(*) FROM t} answered from the table's manifests: the same answer as DuckDB
 * counting the files, under the same name and type, at every state a table goes through; and only
 * that exact shape, so that anything more is still run by DuckDB.
 */
class MetadataCountTest {
  private static RunningServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = RunningServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE rows_one_by_one (id BIGINT, v VARCHAR)");
      for (int i = 0; i < 40; i++) {
        s.executeUpdate("INSERT INTO rows_one_by_one VALUES (" + i + ", 'v" + i + "')");
      }
      s.executeUpdate("INSERT INTO rows_one_by_one SELECT range + 100, NULL FROM range(1000)");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The count Tarn answers, checked against DuckDB counting the rows ({@code WHERE true} is not the shape). */
  private static long countBothWays(Statement s, String table) throws SQLException {
    long scanned = single(s, "SELECT count(*) FROM " + table + " WHERE true");
    assertEquals(scanned, single(s, "SELECT count(*) FROM " + table), table);
    return scanned;
  }

  private static long single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      long value = rs.getLong(1);
      assertFalse(rs.next(), sql);
      return value;
    }
  }

  /** Whether DuckDB's plan of the statement is a constant: no file read, no aggregate. */
  private static boolean answeredFromManifests(Statement s, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      while (rs.next()) {
        plan.append(rs.getString(2));
      }
    }
    String text = plan.toString();
    return text.contains("Dummy Scan") && !text.contains("READ_PARQUET") && !text.contains("Aggregate");
  }

  @Test
  void aWholeTableCountReadsNoFileAndAgreesWithTheScanThroughEveryChange() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      assertTrue(answeredFromManifests(s, "SELECT count(*) FROM rows_one_by_one"));
      assertFalse(answeredFromManifests(s, "SELECT count(*) FROM rows_one_by_one WHERE true"));
      assertEquals(1040, countBothWays(s, "rows_one_by_one"));
      s.executeUpdate("DELETE FROM rows_one_by_one WHERE id % 3 = 0");
      assertEquals(1040 - 14 - 333, countBothWays(s, "rows_one_by_one"));
      s.executeUpdate("UPDATE rows_one_by_one SET v = 'u' WHERE id < 20");
      assertEquals(693, countBothWays(s, "rows_one_by_one"));

      s.executeUpdate("CREATE TABLE never_written (id BIGINT)");
      assertEquals(0, countBothWays(s, "never_written"));
      s.executeUpdate("CREATE TABLE emptied AS SELECT range AS id FROM range(5)");
      s.executeUpdate("DELETE FROM emptied");
      assertEquals(0, countBothWays(s, "emptied"));
    }
  }

  @Test
  void aTableItsScanCannotReadIsNotCountedEither() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE losing_a_file (id BIGINT)");
      for (int i = 0; i < 3; i++) {
        s.executeUpdate("INSERT INTO losing_a_file VALUES (" + i + ")");
      }
      assertEquals(3, countBothWays(s, "losing_a_file"), "counted once, its view made");
      Path lost = server.dataFiles().stream().filter(f -> f.toString().contains("losing_a_file")).findFirst()
          .orElseThrow();
      Files.delete(lost);
      for (String sql : List.of("SELECT count(*) FROM losing_a_file", "SELECT count(*) FROM losing_a_file WHERE true")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), sql);
        assertTrue(e.getMessage().contains(lost.getFileName().toString()), sql + ": " + e.getMessage());
      }
      assertEquals(1, single(s, "SELECT 1"), "the connection keeps serving");
    }
  }

  @Test
  void branchesTransactionsAndTimeTravelCountTheirOwnRows() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE counted AS SELECT range AS id FROM range(10)");
      String before = null;
      try (ResultSet rs = s.executeQuery("SHOW LOG main LIMIT 1")) {
        assertTrue(rs.next());
        before = rs.getString("commit_hash");
      }
      s.execute("CREATE BRANCH count_dev FROM main");
      s.executeUpdate("INSERT INTO count_dev.public.counted VALUES (10), (11)");
      assertEquals(12, countBothWays(s, "count_dev.public.counted"));
      assertEquals(10, countBothWays(s, "counted"));

      s.execute("BEGIN");
      s.executeUpdate("INSERT INTO counted VALUES (20)");
      assertEquals(11, countBothWays(s, "counted"), "a transaction counts its own writes");
      try (Connection other = server.connect(); Statement o = other.createStatement()) {
        assertEquals(10, countBothWays(o, "counted"), "and no one else does");
      }
      s.execute("ROLLBACK");
      assertEquals(10, countBothWays(s, "counted"));

      s.executeUpdate("INSERT INTO counted VALUES (30)");
      assertEquals(10, single(s, "SELECT count(*) FROM counted AT COMMIT '" + before + "'"));
      assertEquals(11, countBothWays(s, "counted"));
    }
  }

  @Test
  void theAnswerIsNamedAndTypedAsDuckDbWouldAndAnythingMoreIsLeftToDuckDb() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement(); Statement scan = c.createStatement()) {
      s.executeUpdate("CREATE TABLE shapes AS SELECT range AS id FROM range(7)");
      // each count, and the same query with a WHERE that DuckDB runs
      for (List<String> pair : List.of(
          List.of("SELECT count(*) FROM shapes", "SELECT count(*) FROM shapes WHERE true"),
          List.of("select COUNT() from public.shapes s", "select COUNT() from public.shapes s where true"),
          List.of("/* first */ SELECT count(*) AS \"Rows Here\" FROM main.public.shapes -- last",
              "/* first */ SELECT count(*) AS \"Rows Here\" FROM main.public.shapes WHERE true -- last"),
          // a named window nothing uses: DuckDB's reading and its run both leave it out
          List.of("SELECT count_star() FROM shapes WINDOW w AS (ORDER BY id)",
              "SELECT count_star() FROM shapes WHERE true WINDOW w AS (ORDER BY id)"))) {
        String sql = pair.get(0);
        assertTrue(answeredFromManifests(s, sql), sql);
        try (ResultSet counted = s.executeQuery(sql); ResultSet scanned = scan.executeQuery(pair.get(1))) {
          assertEquals(scanned.getMetaData().getColumnLabel(1), counted.getMetaData().getColumnLabel(1), sql);
          assertEquals(scanned.getMetaData().getColumnType(1), counted.getMetaData().getColumnType(1), sql);
          assertTrue(counted.next() && scanned.next());
          assertEquals(7, counted.getLong(1), sql);
          assertEquals(scanned.getLong(1), counted.getLong(1), sql);
        }
      }
      // Each of these is more than a whole-table count: DuckDB runs it, and its answer or error stands.
      for (String sql : List.of("SELECT count(*) FROM shapes LIMIT 0", "SELECT count(*) FROM shapes WHERE id > 3",
          "SELECT count(*), 1 FROM shapes", "SELECT count(*) FILTER (WHERE id > 3) FROM shapes",
          "SELECT count(id) FROM shapes", "SELECT count(*) FROM shapes GROUP BY id % 2",
          "SELECT count(*) FROM shapes HAVING count(*) > 100", "SELECT DISTINCT count(*) FROM shapes ORDER BY 1",
          "SELECT count(*) FROM shapes USING SAMPLE 2 ROWS", "SELECT count(*) FROM shapes QUALIFY row_number() OVER () = 1",
          "WITH x AS (SELECT 1) SELECT count(*) FROM shapes")) {
        assertFalse(answeredFromManifests(s, sql), sql);
      }
      assertEquals(0, rows(s, "SELECT count(*) FROM shapes LIMIT 0"));
      assertEquals(4, single(s, "SELECT count(*) FROM shapes WHERE id > 2"));
      SQLException aliases = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT count(*) FROM shapes AS x(a, b)").close());
      assertTrue(aliases.getMessage().contains("1 columns available but 2 columns specified"), aliases.getMessage());
      SQLException missing = assertThrows(SQLException.class, () -> s.executeQuery("SELECT count(*) FROM nowhere").close());
      assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
    }
  }

  private static int rows(Statement s, String sql) throws SQLException {
    int n = 0;
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        n++;
      }
    }
    return n;
  }
}
