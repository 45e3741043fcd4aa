package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The driver against a real Tarn server: each defect of the stock Flight SQL driver, fixed. */
class TarnDriverTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA sales");
      s.executeUpdate("CREATE TABLE sales.orders (id BIGINT, country VARCHAR)");
      s.executeUpdate("INSERT INTO sales.orders VALUES (1, 'IT'), (2, 'FR')");
      s.executeUpdate("CREATE BRANCH dev");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void catalogIsTheBranchAndLaterStatementsRunOnIt() throws SQLException {
    try (Connection c = server.connect()) {
      assertEquals("main", c.getCatalog());
      c.setCatalog("dev");
      assertEquals("dev", c.getCatalog());
      try (Statement s = c.createStatement()) {
        assertEquals(1, s.executeUpdate("INSERT INTO sales.orders VALUES (3, 'DE')"));
      }
      assertEquals(3, count(c, "SELECT count(*) FROM sales.orders"), "dev holds the new row");
      c.setCatalog("main");
      assertEquals(2, count(c, "SELECT count(*) FROM sales.orders"), "main does not");

      SQLException missing = assertThrows(SQLException.class, () -> c.setCatalog("no_such_branch"));
      assertTrue(missing.getMessage().contains("no_such_branch"), missing.getMessage());
      assertEquals("main", c.getCatalog(), "a refused catalog leaves the session where it was");
    }
    // a connection that starts on a branch reads it, and closes cleanly (arrow-java#66, #863)
    Connection onDev = server.connect("/dev");
    assertEquals("dev", onDev.getCatalog());
    assertEquals(3, count(onDev, "SELECT count(*) FROM sales.orders WHERE id <= 3"));
    onDev.close();
    assertTrue(onDev.isClosed());
    onDev.close(); // twice is fine
  }

  @Test
  void schemaIsTheSessionsSchema() throws SQLException {
    try (Connection c = server.connect("?schema=sales")) {
      assertEquals("sales", c.getSchema());
      assertEquals(2, count(c, "SELECT count(*) FROM orders WHERE id <= 2"));
      c.setSchema("public");
      assertEquals("public", c.getSchema());
      SQLException missing = assertThrows(SQLException.class, () -> c.setSchema("nowhere"));
      assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());
      assertEquals("public", c.getSchema());
    }
  }

  @Test
  void rollbackDiscardsAndCommitLandsSeenFromAnotherConnection() throws SQLException {
    try (Connection writer = server.connect(); Connection reader = server.connect();
        Statement s = writer.createStatement()) {
      s.executeUpdate("CREATE TABLE tx_seen (id INTEGER)");
      writer.setAutoCommit(false);
      s.executeUpdate("INSERT INTO tx_seen VALUES (1)");
      assertEquals(1, count(writer, "SELECT count(*) FROM tx_seen"), "the transaction reads its own write");
      assertEquals("main", writer.getCatalog(), "a transaction's private branch is not the catalog");
      SQLException switching = assertThrows(SQLException.class, () -> writer.setCatalog("dev"));
      assertTrue(switching.getMessage().contains("open transaction"), switching.getMessage());
      assertEquals(0, count(reader, "SELECT count(*) FROM tx_seen"), "nobody else sees it before commit");
      writer.rollback();
      assertEquals(0, count(writer, "SELECT count(*) FROM tx_seen"));
      assertEquals(0, count(reader, "SELECT count(*) FROM tx_seen"));

      s.executeUpdate("INSERT INTO tx_seen VALUES (2)");
      s.executeUpdate("INSERT INTO tx_seen VALUES (3)");
      assertEquals(0, count(reader, "SELECT count(*) FROM tx_seen"));
      writer.commit();
      assertEquals(2, count(reader, "SELECT count(*) FROM tx_seen"), "commit landed");
      writer.setAutoCommit(true);
      assertThrows(SQLException.class, writer::commit, "commit with auto-commit on is an error");
    }
  }

  @Test
  void closingWithAnOpenTransactionRollsItBack() throws SQLException {
    try (Connection setup = server.connect(); Statement s = setup.createStatement()) {
      s.executeUpdate("CREATE TABLE tx_abandoned (id INTEGER)");
    }
    Connection c = server.connect();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO tx_abandoned VALUES (1)");
    }
    c.close();
    try (Connection reader = server.connect()) {
      assertEquals(0, count(reader, "SELECT count(*) FROM tx_abandoned"));
    }
  }

  /** Closing a connection ends its server session at once, instead of leaving it to idle out. */
  @Test
  void closingAConnectionEndsItsSessionOnTheServer() throws SQLException {
    try (Connection watcher = server.connect()) {
      long before = rowCount(watcher, "SHOW SESSIONS");
      Connection c = server.connect();
      try (Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TEMPORARY TABLE mine AS SELECT 1 AS x");
      }
      assertEquals(before + 1, rowCount(watcher, "SHOW SESSIONS"), "the connection's session is kept while open");
      c.close();
      assertEquals(before, rowCount(watcher, "SHOW SESSIONS"), "and gone once it closes");
    }
  }

  private static long rowCount(Connection c, String sql) throws SQLException {
    long rows = 0;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows++;
      }
    }
    return rows;
  }

  @Test
  void temporalDecimalUuidIntervalListAndStructValuesInANonUtcZone() throws SQLException {
    TimeZone original = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT TIMESTAMP '2024-01-02 03:04:05.123456' AS ts,"
            + " TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz, DATE '2024-02-29' AS d, TIME '10:11:12' AS t,"
            + " 12.345::DECIMAL(10,3) AS dec, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID AS u,"
            + " INTERVAL '1 year 2 days 3 hours' AS i, [1, 2, NULL] AS l, {'a': 1, 'b': 'x'} AS st")) {
      assertTrue(rs.next());
      // TIMESTAMP is a wall clock: the same reading in any JVM zone
      assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000), rs.getObject("ts"));
      assertEquals("2024-01-02 03:04:05.123456", rs.getTimestamp("ts").toString());
      assertEquals(Instant.parse("2024-01-02T03:04:05.123456Z"),
          rs.getTimestamp("ts", Calendar.getInstance(TimeZone.getTimeZone("UTC"))).toInstant());
      // TIMESTAMP WITH TIME ZONE is an instant
      assertEquals(Instant.parse("2024-01-02T03:04:05Z"), rs.getTimestamp("tz").toInstant());
      assertEquals(Instant.parse("2024-01-02T03:04:05Z"), rs.getObject("tz", OffsetDateTime.class).toInstant());
      assertEquals(LocalDate.of(2024, 2, 29), rs.getObject("d"));
      assertEquals("2024-02-29", rs.getDate("d").toString());
      assertEquals(LocalTime.of(10, 11, 12), rs.getObject("t"));
      assertEquals("10:11:12", rs.getTime("t").toString());
      assertEquals(new BigDecimal("12.345"), rs.getObject("dec"));
      assertEquals(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), rs.getObject("u", UUID.class));
      assertEquals(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), rs.getObject("u"));
      assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", rs.getString("u"));
      TarnInterval interval = assertInstanceOf(TarnInterval.class, rs.getObject("i"));
      assertEquals(new TarnInterval(12, 2, TimeUnit.HOURS.toNanos(3)), interval);
      assertEquals("P1Y2DT3H", rs.getString("i"));
      Array list = rs.getArray("l");
      assertEquals("INTEGER", list.getBaseTypeName());
      assertArrayEquals(new Object[] {1, 2, null}, (Object[]) list.getArray());
      Struct struct = assertInstanceOf(Struct.class, rs.getObject("st"));
      assertArrayEquals(new Object[] {1, "x"}, struct.getAttributes());

      ResultSetMetaData meta = rs.getMetaData();
      assertEquals(Types.TIMESTAMP, meta.getColumnType(1));
      assertEquals(Types.TIMESTAMP_WITH_TIMEZONE, meta.getColumnType(2));
      assertEquals(Types.DATE, meta.getColumnType(3));
      assertEquals(Types.TIME, meta.getColumnType(4));
      assertEquals(Types.DECIMAL, meta.getColumnType(5));
      assertEquals(3, meta.getScale(5));
      assertEquals("UUID", meta.getColumnTypeName(6));
      assertEquals(UUID.class.getName(), meta.getColumnClassName(6));
      assertEquals(Types.ARRAY, meta.getColumnType(8));
      assertEquals(Types.STRUCT, meta.getColumnType(9));
      assertFalse(rs.next());
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void boundTimestampsKeepTheirWallClockInANonUtcZone() throws SQLException {
    TimeZone original = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    try (Connection c = server.connect(); PreparedStatement p = c.prepareStatement(
        "SELECT ?::TIMESTAMP AS ts, ?::DATE AS d, ?::DECIMAL(12,4) AS dec, ? AS name")) {
      Timestamp stamp = Timestamp.valueOf("2023-03-26 02:30:00");
      p.setTimestamp(1, stamp);
      p.setDate(2, java.sql.Date.valueOf("2023-12-31"));
      p.setBigDecimal(3, new BigDecimal("-1.2345"));
      p.setString(4, "Zoë 🌊");
      try (ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(stamp, rs.getTimestamp("ts"));
        assertEquals("2023-12-31", rs.getDate("d").toString());
        assertEquals(new BigDecimal("-1.2345"), rs.getBigDecimal("dec"));
        assertEquals("Zoë 🌊", rs.getString("name"));
      }
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void preparedBatchesAndParameters() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE batch_target (id BIGINT, label VARCHAR)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO batch_target VALUES (?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          insert.setInt(1, i);
          insert.setString(2, i == 2 ? null : "row " + i);
          insert.addBatch();
        }
        assertEquals(3, insert.executeBatch().length);
        insert.setLong(1, 4);
        SQLException unset = assertThrows(SQLException.class, insert::executeUpdate);
        assertTrue(unset.getMessage().contains("parameter 2 is not set"), unset.getMessage());
      }
      try (PreparedStatement select = c.prepareStatement("SELECT label FROM batch_target WHERE id = ?")) {
        assertEquals(1, select.getParameterMetaData().getParameterCount());
        select.setLong(1, 3);
        try (ResultSet rs = select.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("row 3", rs.getString(1));
        }
        select.setLong(1, 2);
        try (ResultSet rs = select.executeQuery()) {
          assertTrue(rs.next());
          assertNull(rs.getString(1));
          assertTrue(rs.wasNull());
        }
      }
    }
  }

  @Test
  void executeReportsCountsForWritesAndResultsForQueries() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      assertFalse(s.execute("/* a comment */ CREATE TABLE exec_kinds (id INTEGER)"));
      assertFalse(s.execute("INSERT INTO exec_kinds VALUES (1), (2), (3)"));
      assertEquals(3, s.getUpdateCount());
      assertTrue(s.execute("SELECT * FROM exec_kinds ORDER BY id"));
      try (ResultSet rs = s.getResultSet()) {
        assertEquals(-1, s.getUpdateCount());
        int rows = 0;
        while (rs.next()) {
          rows++;
        }
        assertEquals(3, rows);
      }
      assertFalse(s.getMoreResults());
      assertEquals(-1, s.getUpdateCount());

      Statement once = c.createStatement();
      once.closeOnCompletion();
      once.executeQuery("SELECT 1").close();
      assertTrue(once.isClosed(), "closeOnCompletion closes the statement with its result");

      SQLException bad = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table"));
      assertTrue(bad.getMessage().contains("no_such_table"), bad.getMessage());
      assertEquals(3, count(c, "SELECT count(*) FROM exec_kinds"), "the connection keeps serving");
    }
  }

  @Test
  void queryTimeoutStopsALongQueryAndTheConnectionKeepsServing() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      SQLTimeoutException e = assertThrows(SQLTimeoutException.class,
          () -> s.executeQuery("SELECT count(*) FROM range(100000000000) a"));
      assertTrue(e.getMessage().contains("query timeout of 1 s"), e.getMessage());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
      s.setQueryTimeout(0);
      assertEquals(1, count(c, "SELECT 1"));
    }
  }

  @Test
  void cancelFromAnotherThreadStopsTheQuery() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM range(100000000000) a")) {
          return rs.next();
        } catch (SQLException e) {
          return e;
        }
      });
      Thread.sleep(1000);
      s.cancel();
      Object outcome = running.get(15, TimeUnit.SECONDS);
      SQLException e = assertInstanceOf(SQLException.class, outcome);
      assertTrue(e.getMessage().toLowerCase().contains("cancel"), e.getMessage());
      assertEquals(1, count(c, "SELECT 1"));
    }
  }

  @Test
  void largeResultsStreamWithAFetchSizeAndMaxRows() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.setFetchSize(500);
      assertEquals(500, s.getFetchSize());
      long rows = 0;
      long sum = 0;
      try (ResultSet rs = s.executeQuery("SELECT range AS n FROM range(300000)")) {
        assertEquals(500, rs.getFetchSize());
        while (rs.next()) {
          rows++;
          sum += rs.getLong(1);
        }
      }
      assertEquals(300_000, rows);
      assertEquals(299_999L * 300_000 / 2, sum);
      s.setMaxRows(7);
      try (ResultSet rs = s.executeQuery("SELECT range FROM range(100)")) {
        int seen = 0;
        while (rs.next()) {
          seen++;
        }
        assertEquals(7, seen);
      }
      s.setMaxRows(0);
      long start = System.nanoTime();
      try (ResultSet rs = s.executeQuery("SELECT range FROM range(1000000000)")) {
        assertTrue(rs.next());
        assertTrue(rs.next());
      } // closing early stops the transfer instead of reading a billion rows
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
      assertEquals(1, count(c, "SELECT 1"));
    }
  }

  @Test
  void numericGettersReadEveryWidthAndNullWithoutBoxing() throws SQLException {
    // 2^60 + 2^36 + 1: rounded to float directly it goes up, through double it would go down
    long awkward = 1152921573326323713L;
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM (VALUES"
            + " (CAST(-128 AS TINYINT), CAST(-32768 AS SMALLINT), CAST(-2147483648 AS INTEGER),"
            + " CAST(-9223372036854775808 AS BIGINT), CAST(255 AS UTINYINT), CAST(65535 AS USMALLINT),"
            + " CAST(4294967295 AS UINTEGER), CAST(1.5 AS REAL), CAST(-2.75 AS DOUBLE), CAST(" + awkward
            + " AS BIGINT)), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL))"
            + " AS t(ti, si, i, bi, uti, usi, ui, r, d, awkward)")) {
      assertTrue(rs.next());
      assertEquals(-128, rs.getByte("ti"));
      assertEquals(-32768, rs.getShort("si"));
      assertEquals(Integer.MIN_VALUE, rs.getInt("i"));
      assertEquals(Long.MIN_VALUE, rs.getLong("bi"));
      assertFalse(rs.wasNull());
      assertEquals((double) Long.MIN_VALUE, rs.getDouble("bi"));
      assertEquals(255, rs.getInt("uti"));
      assertEquals(65535, rs.getInt("usi"));
      assertEquals(4294967295L, rs.getLong("ui"));
      assertEquals(1.5f, rs.getFloat("r"));
      assertEquals(1.5, rs.getDouble("r"));
      assertEquals(-2.75, rs.getDouble("d"));
      assertEquals(-2, rs.getLong("d")); // a fraction is dropped, as before
      assertEquals((float) awkward, rs.getFloat("awkward"));
      assertEquals((double) awkward, rs.getDouble("awkward"));
      assertEquals(Integer.class, rs.getObject("i").getClass());
      assertEquals(Integer.class, rs.getObject("usi").getClass());
      assertEquals(Long.class, rs.getObject("bi").getClass());
      assertEquals(Long.class, rs.getObject("ui").getClass());
      assertEquals(Float.class, rs.getObject("r").getClass());
      assertEquals(Double.class, rs.getObject("d").getClass());
      assertOutOfRange("uti", "byte", () -> rs.getByte("uti"));
      assertOutOfRange("usi", "short", () -> rs.getShort("usi"));
      assertOutOfRange("ui", "int", () -> rs.getInt("ui"));
      assertOutOfRange("bi", "int", () -> rs.getInt("bi"));

      assertTrue(rs.next());
      for (String column : List.of("ti", "si", "i", "bi", "uti", "usi", "ui", "r", "d", "awkward")) {
        assertEquals(0, rs.getLong(column), column);
        assertTrue(rs.wasNull(), column);
        assertEquals(0, rs.getInt(column), column);
        assertTrue(rs.wasNull(), column);
        assertEquals(0.0, rs.getDouble(column), column);
        assertTrue(rs.wasNull(), column);
        assertEquals(0.0f, rs.getFloat(column), column);
        assertTrue(rs.wasNull(), column);
        assertNull(rs.getObject(column), column);
      }
      assertFalse(rs.next());
    }
  }

  @Test
  void floatingPointAndTextReadAsWholeNumbers() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 'NaN'::DOUBLE AS nan, '-Infinity'::DOUBLE AS inf,"
            + " CAST(1152921504606846976 AS DOUBLE) AS two_to_60, -2.9::DOUBLE AS neg, 9.3e18::DOUBLE AS huge,"
            + " -9223372036854775808::DOUBLE AS min_long, '1e9999999' AS big_text, '-1e-9999999' AS tiny_text,"
            + " '12.7' AS text, '1e2147483647' AS int_limit_exponent, '0e30' AS zero")) {
      assertTrue(rs.next());
      assertTrue(Double.isNaN(rs.getDouble("nan")));
      assertEquals(Double.NEGATIVE_INFINITY, rs.getDouble("inf"));
      assertTrue(rs.getBoolean("nan"));
      for (Executable read : List.<Executable>of(() -> rs.getLong("nan"), () -> rs.getBigDecimal("nan"),
          () -> rs.getObject("inf", BigDecimal.class))) {
        SQLException e = assertThrows(SQLException.class, read);
        assertEquals("22018", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("nan") || e.getMessage().contains("inf"), e.getMessage());
      }
      assertOutOfRange("inf", "int", () -> rs.getInt("inf"));
      // the double's own value, not its shortest text (which would give 1152921504606846980)
      assertEquals(1L << 60, rs.getLong("two_to_60"));
      assertEquals(1L << 60, rs.getObject("two_to_60", Long.class));
      assertEquals(-2, rs.getInt("neg"));
      assertEquals(Long.MIN_VALUE, rs.getLong("min_long"));
      assertOutOfRange("huge", "long", () -> rs.getLong("huge"));
      assertOutOfRange("two_to_60", "int", () -> rs.getInt("two_to_60"));
      long start = System.nanoTime();
      assertOutOfRange("big_text", "long", () -> rs.getLong("big_text"));
      assertEquals(0, rs.getLong("tiny_text"));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "a huge exponent is not expanded");
      assertEquals(12, rs.getInt("text"));
      assertOutOfRange("int_limit_exponent", "long", () -> rs.getLong("int_limit_exponent"));
      assertEquals(0, rs.getLong("zero"));
      assertEquals(java.math.BigInteger.ONE.shiftLeft(60), rs.getObject("two_to_60", java.math.BigInteger.class));
      assertEquals("22018", assertThrows(SQLException.class,
          () -> rs.getObject("nan", java.math.BigInteger.class)).getSQLState());
      assertEquals(1, count(c, "SELECT 1"));
    }
  }

  @Test
  void mapColumnsAndMapsInsideListsAndStructsRead() throws SQLException {
    // every batch's buffers are checked as it loads; a MAP is a legitimate result, not a malformed one
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAP {'k': 1} AS m, MAP {} AS empty, [{'a': [MAP {'x': 2}]}] AS deep"
            + " FROM range(3)")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertEquals(java.util.Map.of("k", 1), rs.getObject("m"));
        assertEquals(java.util.Map.of(), rs.getObject("empty"));
        assertTrue(rs.getString("deep").contains("x"), rs.getString("deep"));
      }
      assertEquals(3, rows);
    }
  }

  private static void assertOutOfRange(String column, String target, Executable read) {
    SQLException e = assertThrows(SQLException.class, read);
    assertEquals("22003", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(column) && e.getMessage().contains("out of range for " + target)
        && e.getMessage().length() < 200, e.getMessage());
  }

  @Test
  void readingAValueAsAWrongTypeNamesTheColumn() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 'abc' AS word, 300 AS big")) {
      assertTrue(rs.next());
      SQLException e = assertThrows(SQLException.class, () -> rs.getInt("word"));
      assertTrue(e.getMessage().contains("word") && e.getMessage().contains("abc"), e.getMessage());
      SQLException range = assertThrows(SQLException.class, () -> rs.getByte("big"));
      assertTrue(range.getMessage().contains("out of range"), range.getMessage());
      assertEquals(300, rs.getInt("big"));
    }
  }
}
