package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code INSERT INTO t [(columns)] VALUES (<constants>)}, the one-row INSERT written straight to a
 * data file, through the stock Flight SQL JDBC driver: it stores what the general INSERT path stores
 * for the same values, refuses what DuckDB's INSERT refuses, naming the table or the column, and a
 * refused one leaves no commit and no file behind.
 */
class ConstantRowInsertTest {
  private static final String COLUMNS = "(k INTEGER, n BIGINT, d DECIMAL(10, 2), f DOUBLE, s VARCHAR, b BOOLEAN,"
      + " day DATE, ts TIMESTAMP, tz TIMESTAMPTZ, l INTEGER[], st STRUCT(x INTEGER, \"y ü\" VARCHAR))";
  private RunningServer server;
  private Connection c;

  @BeforeEach
  void start() throws SQLException {
    server = RunningServer.start();
    c = server.connect();
    run("CREATE TABLE fast " + COLUMNS);
    run("CREATE TABLE general " + COLUMNS);
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  @Test
  void aRowOfConstantsStoresWhatTheGeneralPathStores() throws SQLException {
    List<String> rows = List.of(
        "1, 9007199254740993, 1.005, -2.5e3, 'é😀 -- not a comment, ''quoted''', TRUE, '2024-02-29',"
            + " TIMESTAMP '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00+02', [1, NULL, 3],"
            + " {'x': 7, 'y ü': 'ü'}",
        "2, '42', 7, 0.1 + 0.2, 12.5, 'false', DATE '2024-01-02' + INTERVAL 1 DAY, '2024-03-04',"
            + " NULL, [], NULL",
        "3, CAST('5' AS BIGINT), -0.015, 'NaN', NULL, NULL, NULL, NULL, NULL, NULL, {'x': NULL, 'y ü': NULL}");
    for (String row : rows) {
      // the general path takes a query, not one row of constants
      assertEquals(1, update("INSERT INTO fast VALUES (" + row + ")"));
      assertEquals(1, update("INSERT INTO general SELECT " + row));
    }
    // a column list in another order and in other cases; the columns it leaves out are NULL
    assertEquals(1, update("INSERT INTO fast (S, k, \"D\") VALUES ('listed', 4, 3.14159)"));
    assertEquals(1, update("INSERT INTO general (S, k, \"D\") SELECT 'listed', 4, 3.14159"));
    // a value of the session is the session's, as on the general path
    assertEquals(1, update("INSERT INTO fast (k, s) VALUES (6, current_schema)"));
    assertEquals(1, update("INSERT INTO general (k, s) SELECT 6, current_schema"));
    // through a three-part name: branch, schema, table
    assertEquals(1, update("INSERT INTO main.public.fast (k) VALUES (5)"));
    assertEquals(1, update("INSERT INTO main.public.general (k) SELECT 5"));

    String all = "SELECT k, n, d, f, s, b, day, ts, tz, l, st FROM %s ORDER BY k";
    List<String> fast = rows(String.format(all, "fast"));
    assertEquals(rows(String.format(all, "general")), fast);
    assertEquals(6, fast.size());
    assertEquals("public", fast.get(5).split("\\|")[4]);
    assertTrue(fast.get(0).contains("é😀 -- not a comment, 'quoted'"), fast.get(0));
    assertTrue(fast.get(0).contains("9007199254740993") && fast.get(0).contains("1.01"), fast.get(0));
    assertEquals("4|null|3.14|null|listed|null|null|null|null|null|null", fast.get(3));
  }

  @Test
  void namesAndWidthsAreReadAsDuckDbReadsThem() throws SQLException {
    // DuckDB folds only ASCII letters' case: these are two columns, and each value goes to its own
    run("CREATE TABLE schools (\"ÉCOLE\" INTEGER, \"école\" INTEGER, \"Id\" INTEGER)");
    assertEquals(1, update("INSERT INTO schools (\"école\") VALUES (1)"));
    assertEquals(1, update("INSERT INTO schools (\"école\", \"ÉCOLE\", ID) VALUES (3, 4, 5)"));
    assertEquals(List.of("null|1|null", "4|3|5"), rows("SELECT * FROM schools ORDER BY \"école\""));
    assertRefused("INSERT INTO schools (\"ıd\") VALUES (6)", "the table has no column ıd");
    assertRefused("INSERT INTO schools (\"\u212Ad\") VALUES (6)", "the table has no column");

    // a trailing comma ends the row, as DuckDB reads it
    assertEquals(1, update("INSERT INTO fast (k, s) VALUES (1, 'trailing',)"));
    assertRefused("INSERT INTO fast (k, s) VALUES (2,)", "2 columns are listed (k, s) but the row has 1 values");

    // what DuckDB reads as work beyond the row's length (a list comprehension, a function) goes the
    // general way, where the query timeout applies, and stores the same
    assertEquals(1, update("INSERT INTO fast (k, l, s) VALUES (3, [x + 1 FOR x IN [1, 2] IF x > 0], 'a' || 'b')"));
    assertEquals(1, update("INSERT INTO fast (k, b, s) VALUES (4, 'abc' LIKE 'a%', upper('u'))"));
    assertEquals(List.of("1|null|null|trailing", "3|[2, 3]|null|ab", "4|null|true|U"),
        rows("SELECT k, CAST(l AS VARCHAR), b, s FROM fast ORDER BY k"));
  }

  @Test
  void aRefusedRowNamesTheTableOrColumnAndLeavesNothingBehind() throws SQLException {
    assertEquals(1, update("INSERT INTO fast (k) VALUES (1)"));
    String head = head();
    long files = dataFiles();
    assertRefused("INSERT INTO fast VALUES (1, 2)",
        "INSERT INTO public.fast: the table has 11 columns (k, n, d, f, s, b, day, ts, tz, l, st) but the row has 2 values");
    assertRefused("INSERT INTO fast (k, s) VALUES (1, 'a', 3)",
        "INSERT INTO public.fast: 2 columns are listed (k, s) but the row has 3 values");
    assertRefused("INSERT INTO fast (k, nope) VALUES (1, 2)", "INSERT INTO public.fast: the table has no column nope");
    assertRefused("INSERT INTO fast (k, K) VALUES (1, 2)", "INSERT INTO public.fast: column k is listed twice");
    assertRefused("INSERT INTO fast (k) VALUES ('abc')", "Could not convert string 'abc' to INT32");
    assertRefused("INSERT INTO fast (k) VALUES ('abc')", "column k");
    assertRefused("INSERT INTO fast (s) VALUES ('x'::nosuchtype)", "Type with name nosuchtype does not exist");
    assertRefused("INSERT INTO fast (day) VALUES ('2024-02-30')", "column day");
    assertRefused("INSERT INTO fast (k) VALUES (30000000000)", "out of range");
    assertRefused("INSERT INTO nowhere VALUES (1)", "nowhere");
    // DuckDB's reading judges the row as any query: what it may not run is refused there
    assertRefused("INSERT INTO fast (s) VALUES (CAST(current_setting('allowed_directories') AS VARCHAR))",
        "the function current_setting is not allowed");
    assertRefused("INSERT INTO fast (l) VALUES ([1, 2)", "Syntax error");
    assertEquals(head, head(), "no commit");
    assertEquals(files, dataFiles(), "no data file left behind");
    assertEquals(List.of("1"), column(query("SELECT k FROM fast"), 1), "the connection keeps serving");
  }

  @Test
  void aRowOfConstantsLandsInItsPartitionAndInsideATransaction() throws SQLException {
    run("CREATE TABLE events (id INTEGER, happened TIMESTAMP, kind VARCHAR) PARTITIONED BY (day(happened), kind)");
    assertEquals(1, update("INSERT INTO events VALUES (1, '2024-05-01 10:00', 'a')"));
    assertEquals(1, update("INSERT INTO events (kind, id, happened) VALUES ('b', 2, '2024-05-02 11:00')"));
    assertEquals(List.of("1|2024-05-01|a", "2|2024-05-02|b"),
        rows("SELECT id, CAST(happened AS DATE), kind FROM events ORDER BY id"));
    assertEquals(List.of("1"), column(query("SELECT count(*) FROM events WHERE kind = 'b'"), 1));

    run("BEGIN");
    assertEquals(1, update("INSERT INTO fast (k) VALUES (10)"));
    assertEquals(1, update("INSERT INTO fast (k) VALUES (11)"));
    assertEquals(List.of("10", "11"), column(query("SELECT k FROM fast ORDER BY k"), 1), "seen inside");
    run("ROLLBACK");
    assertEquals(List.of(), column(query("SELECT k FROM fast"), 1), "rolled back");
  }

  private void assertRefused(String sql, String message) {
    SQLException e = assertThrows(SQLException.class, () -> update(sql), sql);
    assertTrue(e.getMessage().contains(message), sql + ": " + e.getMessage());
    // nothing of the text Tarn wrote for DuckDB: its names and positions mean nothing to the client
    assertFalse(e.getMessage().contains("__tarn") || e.getMessage().contains("COPY") || e.getMessage().contains("(at line"),
        sql + ": " + e.getMessage());
  }

  private long dataFiles() {
    return server.dataFiles().size();
  }

  private String head() throws SQLException {
    try (ResultSet rs = query("SHOW LOG LIMIT 1")) {
      assertTrue(rs.next());
      return rs.getString("commit_hash");
    }
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> out = new java.util.ArrayList<>();
    try (ResultSet rs = query(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  private int update(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private ResultSet query(String sql) throws SQLException {
    return c.createStatement().executeQuery(sql);
  }
}
