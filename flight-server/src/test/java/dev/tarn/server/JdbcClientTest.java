package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stock Arrow Flight SQL JDBC driver against a real Tarn server: what DBeaver and CI jobs do. */
class JdbcClientTest {
  private static RunningServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = RunningServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA sales");
      s.executeUpdate("CREATE TABLE sales.transactions (id BIGINT, usd DOUBLE, country VARCHAR,"
          + " eventTime TIMESTAMP)");
      s.executeUpdate("INSERT INTO sales.transactions VALUES (1, 10.5, 'IT', TIMESTAMP '2023-01-05 10:00:00'),"
          + " (2, 20.0, 'FR', TIMESTAMP '2023-01-06 11:00:00'), (3, 7.25, 'US', TIMESTAMP '2023-02-10 09:30:00')");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void dbeaverConnectSequenceSeesCatalogsSchemasTablesAndColumns() throws SQLException {
    try (Connection c = server.connect()) {
      DatabaseMetaData meta = c.getMetaData();
      assertEquals("Tarn", meta.getDatabaseProductName());
      assertFalse(meta.getDatabaseProductVersion().isEmpty());
      assertEquals("\"", meta.getIdentifierQuoteString());
      assertFalse(meta.isReadOnly());
      assertTrue(meta.getSQLKeywords().contains("PRAGMA"));
      assertTrue(meta.nullsAreSortedAtEnd());
      meta.getNumericFunctions();
      meta.getStringFunctions();
      meta.getTimeDateFunctions();
      meta.getSystemFunctions();
      meta.supportsTransactions();

      assertTrue(column(meta.getCatalogs(), "TABLE_CAT").contains("main"), "branches are catalogs");
      List<String> schemas = column(meta.getSchemas("main", null), "TABLE_SCHEM");
      assertTrue(schemas.containsAll(List.of("public", "sales")), schemas.toString());
      assertEquals(List.of("TABLE", "VIEW"), column(meta.getTableTypes(), "TABLE_TYPE"));
      assertEquals(List.of("transactions"), column(meta.getTables("main", "sales", "%", null), "TABLE_NAME"));
      assertEquals(List.of("transactions"), column(meta.getTables(null, "sa_es", "trans%", null), "TABLE_NAME"));
      assertEquals(List.of(), column(meta.getTables("main", "sales", "%", new String[] {"VIEW"}), "TABLE_NAME"));
      assertEquals(List.of("id", "usd", "country", "eventTime"),
          column(meta.getColumns("main", "sales", "transactions", null), "COLUMN_NAME"));
      // Iceberg tables declare no keys; the answers are well-formed and empty.
      assertEquals(List.of(), column(meta.getPrimaryKeys("main", "sales", "transactions"), "COLUMN_NAME"));
      assertEquals(List.of(), column(meta.getImportedKeys("main", "sales", "transactions"), "FKCOLUMN_NAME"));
      assertEquals(List.of(), column(meta.getExportedKeys("main", "sales", "transactions"), "FKCOLUMN_NAME"));
      // The stock driver answers getTypeInfo itself (empty) without asking the server; it must not fail.
      // NativeFlightSqlClientTest checks the server's GetXdbcTypeInfo.
      column(meta.getTypeInfo(), "TYPE_NAME");
    }
  }

  @Test
  void boundParameterArithmeticEnumsAndInsertionOrder() throws SQLException {
    try (Connection c = server.connect()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1 AS v")) {
        ps.setInt(1, 41);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(42L, rs.getLong("v"));
        }
        ps.setLong(1, 1L << 40);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals((1L << 40) + 1, rs.getLong("v"));
        }
      }
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT 'x'::ENUM('x', 'y') AS e")) {
          assertTrue(rs.next());
          assertEquals("x", rs.getString("e"));
        }
        for (String nested : List.of("SELECT ['x'::ENUM('x', 'y')] AS l", "SELECT {'k': 'y'::ENUM('x', 'y')} AS l",
            "SELECT MAP {1: 'x'::ENUM('x', 'y')} AS l")) {
          SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery(nested).close(), nested);
          assertTrue(refused.getMessage().contains("column l holds ENUM values inside a LIST, STRUCT or MAP")
              && refused.getMessage().contains("VARCHAR"), refused.getMessage());
        }
        try (ResultSet rs = s.executeQuery("SELECT ['x'::ENUM('x', 'y')]::VARCHAR[] AS l")) {
          assertTrue(rs.next(), "the cast the refusal names works, on the same connection");
        }
        s.execute("CREATE SCHEMA IF NOT EXISTS ordering");
        s.execute("CREATE OR REPLACE TABLE ordering.t (x INTEGER)");
        for (int i = 0; i < 4; i++) {
          s.execute("INSERT INTO ordering.t VALUES (" + i + ")");
        }
        try (ResultSet rs = s.executeQuery("SELECT x FROM ordering.t")) {
          assertEquals(List.of("0", "1", "2", "3"), column(rs, "x"));
        }
      }
    }
  }

  @Test
  void queriesWithAndWithoutParametersReturnTypedValues() throws SQLException {
    try (Connection c = server.connect()) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT country, usd FROM sales.transactions ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals("IT", rs.getString(1));
        assertEquals(10.5, rs.getDouble(2));
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, country FROM sales.transactions WHERE usd > ? AND country <> ? ORDER BY id")) {
        ps.setDouble(1, 8.0);
        ps.setString(2, "FR");
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(1L, rs.getLong("id"));
          assertFalse(rs.next());
        }
        ps.setDouble(1, 0.0);
        ps.setString(2, "IT");
        try (ResultSet rs = ps.executeQuery()) {
          assertEquals(List.of("2", "3"), column(rs, "id"));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT count(*) FROM sales.transactions WHERE eventTime >= ? AND eventTime::DATE < ?")) {
        ps.setTimestamp(1, Timestamp.valueOf("2023-01-06 00:00:00"));
        ps.setDate(2, Date.valueOf("2023-02-11"));
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(2, rs.getLong(1));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT CAST(?::TIME AS VARCHAR), CAST(?::TIMESTAMPTZ AS TIMESTAMP)::VARCHAR")) {
        ps.setTime(1, java.sql.Time.valueOf("10:11:12"));
        ps.setTimestamp(2, Timestamp.from(java.time.Instant.parse("2026-11-20T10:00:00Z")));
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("10:11:12", rs.getString(1));
          assertTrue(rs.getString(2).startsWith("2026-11-20"), rs.getString(2));
        }
      }
    }
  }

  @Test
  void typesSurviveTheTrip() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 12.345::DECIMAL(10,3) AS d, DATE '2026-11-20' AS dt,"
            + " TIMESTAMP '2026-11-20 10:00:00' AS ts, repeat('x', 100000) AS big, NULL::VARCHAR AS n,"
            + " true AS b, 3::INTEGER AS i, TIMESTAMPTZ '2026-11-20 10:00:00+00' AS tz")) {
      assertTrue(rs.next());
      assertEquals(new BigDecimal("12.345"), rs.getBigDecimal("d"));
      assertEquals(Date.valueOf("2026-11-20"), rs.getDate("dt"));
      assertEquals(Timestamp.valueOf("2026-11-20 10:00:00"), rs.getTimestamp("ts"));
      assertEquals(100_000, rs.getString("big").length());
      assertNull(rs.getString("n"));
      assertTrue(rs.getBoolean("b"));
      assertEquals(3, rs.getInt("i"));
      assertEquals(java.time.Instant.parse("2026-11-20T10:00:00Z"), rs.getTimestamp("tz").toInstant());
    }
  }

  @Test
  void ddlAndDmlReturnUpdateCounts() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      assertEquals(0, s.executeUpdate("CREATE TABLE counts (id INTEGER, v VARCHAR)"));
      assertEquals(3, s.executeUpdate("INSERT INTO counts VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
      assertEquals(2, s.executeUpdate("UPDATE counts SET v = 'z' WHERE id >= 2"));
      assertEquals(1, s.executeUpdate("DELETE FROM counts WHERE id = 1"));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO counts VALUES (?, ?)")) {
        ps.setInt(1, 10);
        ps.setString(2, "ten");
        assertEquals(1, ps.executeUpdate());
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM counts")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
      }
      assertEquals(0, s.executeUpdate("DROP TABLE counts"));
    }
  }

  @Test
  void tenMillionRowsStreamInBatches() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT range AS id, range * 2 AS twice, range % 7 AS bucket,"
            + " 'row' AS label FROM range(10000000)")) {
      long rows = 0;
      long sum = 0;
      while (rs.next()) {
        rows++;
        sum += rs.getLong(3);
      }
      assertEquals(10_000_000L, rows);
      assertEquals(29_999_994L, sum);
    }
  }

  @Test
  void cancelStopsALongQueryWithinASecond() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<?> running = pool.submit(() -> {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM range(100000000000) a")) {
          rs.next();
        }
        return null;
      });
      Thread.sleep(700);
      long start = System.nanoTime();
      s.cancel();
      Exception failure = assertThrows(Exception.class, () -> running.get(5, TimeUnit.SECONDS));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis < 1000, "cancel took " + millis + " ms: " + failure);
      pool.shutdownNow();
      try (Statement next = c.createStatement(); ResultSet rs = next.executeQuery("SELECT 1")) {
        assertTrue(rs.next(), "the connection keeps serving after a cancel");
      }
    }
  }

  @Test
  void eightConcurrentConnections() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Callable<Long>> clients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      clients.add(() -> {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
          s.executeUpdate("CREATE TABLE conc_" + n + " AS SELECT range AS x FROM range(" + (n + 1) * 1000 + ")");
          try (ResultSet rs = s.executeQuery("SELECT sum(x) FROM conc_" + n)) {
            rs.next();
            return rs.getLong(1);
          }
        }
      });
    }
    List<Future<Long>> results = pool.invokeAll(clients, 60, TimeUnit.SECONDS);
    for (int i = 0; i < 8; i++) {
      long rows = (i + 1) * 1000L;
      assertEquals(rows * (rows - 1) / 2, results.get(i).get());
    }
    pool.shutdown();
  }

  /** Descriptions are remembered per commit: a changed table or temporary table is described anew. */
  @Test
  void preparedStatementsFollowSchemaChanges() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE evolving (a INTEGER)");
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM evolving")) {
        assertEquals(1, p.getMetaData().getColumnCount());
      }
      s.executeUpdate("ALTER TABLE evolving ADD COLUMN b VARCHAR");
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM evolving")) {
        assertEquals(2, p.getMetaData().getColumnCount(), "the new commit's table has two columns");
      }
      s.execute("CREATE TEMP TABLE scratchpad (x INTEGER)");
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM scratchpad")) {
        assertEquals(1, p.getMetaData().getColumnCount());
      }
      s.execute("DROP TABLE temp.scratchpad");
      s.execute("CREATE TEMP TABLE scratchpad (x INTEGER, y INTEGER, z INTEGER)");
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM scratchpad")) {
        assertEquals(3, p.getMetaData().getColumnCount(), "a temporary table is described as it is now");
      }
    }
  }

  @Test
  void useSchemaIsKeptPerConnection() throws SQLException {
    try (Connection a = server.connect(); Connection b = server.connect();
        Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
      sa.execute("USE sales");
      try (ResultSet rs = sa.executeQuery("SELECT count(*) FROM transactions")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
      }
      SQLException e = assertThrows(SQLException.class, () -> sb.executeQuery("SELECT * FROM transactions"));
      assertTrue(e.getMessage().contains("transactions"), e.getMessage());
    }
  }

  @Test
  void badInputGetsClearErrorsAndTheConnectionKeepsServing() throws SQLException {
    try (Connection c = server.connect()) {
      assertError(c, "SELECT *\nFROM sales.transactions WHERE id = = 3", "line 2, column");
      assertError(c, "SELECT * FROM read_csv('/etc/passwd')", "/etc/passwd");
      assertError(c, "SELECT * FROM read_text('/etc/passwd')", "/etc/passwd");
      assertError(c, "SET threads = 1", "not allowed");
      assertError(c, "SET enable_external_access = true", "not allowed");
      assertError(c, "COPY sales.transactions TO '/tmp/leak.csv'", "not allowed");
      assertError(c, "ATTACH '/tmp/other.duckdb'", "not allowed");
      assertError(c, "INSTALL httpfs", "not allowed");
      assertError(c, "SELECT getenv('HOME')", "getenv");
      assertError(c, "SELECT * FROM no_such_table", "no_such_table");
      assertError(c, "SELECT 1; SELECT 2", "one statement");
      assertError(c, "CREATE BRANCH", "line 1, column");
      assertError(c, "MERGE BRANCH no_such_branch INTO main", "no_such_branch");
      assertError(c, "RUN PIPELINE 'nowhere'", "'nowhere' does not exist");
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
    }
  }

  private static void assertError(Connection c, String sql, String expected) {
    SQLException e = assertThrows(SQLException.class, () -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }, sql);
    assertTrue(e.getMessage().contains(expected), "for " + sql + ": " + e.getMessage());
    assertFalse(e.getMessage().contains("\tat "), "no stack trace reaches the client: " + e.getMessage());
    assertFalse(e.getMessage().contains("lake_"), "no internal catalog names reach the client: " + e.getMessage());
  }

  static List<String> column(ResultSet rs, int index) throws SQLException {
    List<String> values = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        values.add(rs.getString(index));
      }
    }
    return values;
  }

  static List<String> column(ResultSet rs, String name) throws SQLException {
    List<String> values = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        values.add(rs.getString(name));
      }
    }
    return values;
  }
}
