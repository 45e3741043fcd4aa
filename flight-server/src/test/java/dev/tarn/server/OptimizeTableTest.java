package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.server.ServerConfig.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OPTIMIZE TABLE} through the stock Flight SQL JDBC driver: many one-row INSERTs leave many
 * small data files (counted in the table's Iceberg metadata); OPTIMIZE rewrites them as one commit
 * without changing a row, refuses where a write is refused, and loses no row written meanwhile.
 */
class OptimizeTableTest {
  private static final TableId T = TableId.of("public", "t");
  private RunningServer server;
  private Connection c;

  @BeforeEach
  void start() throws SQLException {
    server = RunningServer.start();
    c = server.connect();
    run("CREATE TABLE t (id BIGINT, name VARCHAR, amount DECIMAL(18, 3), ts TIMESTAMP, ok BOOLEAN)");
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  @Test
  void aHundredOneRowInsertsBecomeOneFileInOneCommitWithTheSameRows() throws SQLException {
    insertOneRowAtATime(c, 0, 100);
    List<List<String>> before = rows("SELECT * FROM t ORDER BY id");
    assertEquals(100, before.size());
    assertEquals(100, dataFiles("main"));
    List<String> logBefore = log();

    List<List<String>> answer = rows("OPTIMIZE TABLE t");
    assertEquals(List.of(List.of("public.t", "100", "1", "100")), answer);

    assertEquals(before, rows("SELECT * FROM t ORDER BY id"), "not a single row changed");
    assertEquals(1, dataFiles("main"));
    List<String> logAfter = log();
    assertEquals(logBefore.size() + 1, logAfter.size(), "exactly one new commit");
    assertEquals(logBefore, logAfter.subList(1, logAfter.size()));
    assertEquals("OPTIMIZE TABLE t", one("SHOW LOG LIMIT 1", "message"));
    try (Statement s = c.createStatement(); ResultSet audit = s.executeQuery("SHOW AUDIT LIMIT 10")) {
      boolean found = false;
      while (audit.next()) {
        if (audit.getString("statement").equals("OPTIMIZE TABLE t")) {
          found = true;
          assertEquals("ok", audit.getString("outcome"));
          assertEquals(logAfter.get(0), audit.getString("commit_hash"), "the audit names the commit it made");
        }
      }
      assertTrue(found, "OPTIMIZE is audited");
    }

    assertEquals(List.of(List.of("public.t", "1", "1", "0")), rows("OPTIMIZE TABLE t"), "nothing left to do");
    assertEquals(logAfter, log(), "a second OPTIMIZE makes no commit");
    assertEquals(before, rows("SELECT * FROM t ORDER BY id"));
  }

  @Test
  void aPartitionedTableWithAnAddedColumnKeepsItsRowsAndPartitions() throws SQLException {
    run("CREATE TABLE sales (id BIGINT, country VARCHAR) PARTITIONED BY (country)");
    for (int id = 0; id < 12; id++) {
      run("INSERT INTO sales (id, country) VALUES (" + id + ", '" + (id % 3 == 0 ? "IT" : id % 3 == 1 ? "FR" : "DE")
          + "')");
      if (id == 5) {
        run("ALTER TABLE sales ADD COLUMN note VARCHAR");
      }
    }
    run("UPDATE sales SET note = 'n' || id WHERE id > 8");
    List<List<String>> before = rows("SELECT * FROM sales ORDER BY id");
    List<List<String>> answer = rows("OPTIMIZE TABLE sales");
    assertEquals(List.of(List.of("public.sales", "12", "3", "12")), answer, "one file per partition");
    assertEquals(before, rows("SELECT * FROM sales ORDER BY id"));
    assertEquals(List.of("4"), column(query("SELECT count(*) FROM sales WHERE country = 'FR'"), 1));
  }

  @Test
  void whereCompactsOnlyThePartitionsItNames() throws SQLException {
    run("CREATE TABLE sales (id BIGINT, country VARCHAR, day DATE) PARTITIONED BY (country)");
    for (int id = 0; id < 12; id++) {
      run("INSERT INTO sales VALUES (" + id + ", '" + (id % 3 == 0 ? "IT" : id % 3 == 1 ? "FR" : "DE")
          + "', DATE '2024-03-01' + " + id + ")");
    }
    List<List<String>> before = rows("SELECT * FROM sales ORDER BY id");
    assertEquals(List.of(List.of("public.sales", "12", "9", "4")), rows("OPTIMIZE TABLE sales WHERE country = 'IT'"),
        "the four IT files became one; FR and DE keep theirs");
    assertEquals(List.of(List.of("public.sales", "9", "6", "4")),
        rows("OPTIMIZE TABLE sales WHERE country IN ('FR', 'XX') AND day BETWEEN DATE '2024-03-01' AND '2024-03-31'"));
    assertEquals(before, rows("SELECT * FROM sales ORDER BY id"));
    // column statistics pick files too: only the DE files holding days after the 8th (ids 8 and 11)
    assertEquals(List.of(List.of("public.sales", "6", "5", "2")),
        rows("OPTIMIZE TABLE sales WHERE day > DATE '2024-03-08' AND country = 'DE'"));
    assertEquals(List.of(List.of("public.sales", "5", "5", "0")), rows("OPTIMIZE TABLE sales WHERE country = 'ES'"),
        "no file may hold such rows: nothing to do");
    assertEquals(before, rows("SELECT * FROM sales ORDER BY id"));
  }

  @Test
  void whereComparesAFloatingPointColumnWithZeroAsSqlDoes() throws SQLException {
    run("CREATE TABLE readings (id INTEGER, d DOUBLE)");
    for (String d : List.of("'-0.0'", "0.0", "1.0", "-1.0")) {
      run("INSERT INTO readings VALUES (" + d.length() + ", " + d + ")"); // one file each
    }
    List<List<String>> before = rows("SELECT * FROM readings ORDER BY ALL");
    // -0.0 = 0 in SQL: both zero files are picked, whichever zero their bounds hold
    assertEquals(List.of(List.of("public.readings", "4", "3", "2")), rows("OPTIMIZE TABLE readings WHERE d = 0"));
    assertEquals(before, rows("SELECT * FROM readings ORDER BY ALL"));
  }

  @Test
  void optimizeWorksOnANamedBranchAndLeavesOtherBranchesAlone() throws SQLException {
    insertOneRowAtATime(c, 0, 5);
    run("CREATE BRANCH dev");
    insertOneRowAtATime(c, 5, 10);
    assertEquals(List.of(List.of("public.t", "5", "1", "5")), rows("OPTIMIZE TABLE dev.public.t"));
    assertEquals(1, dataFiles("dev"));
    assertEquals(10, dataFiles("main"), "main keeps its files");
    assertEquals(column(query("SELECT id FROM dev.public.t ORDER BY id"), 1), List.of("0", "1", "2", "3", "4"));
  }

  @Test
  void refusedWhereAWriteIsRefusedAndTheConnectionKeepsServing() throws SQLException {
    insertOneRowAtATime(c, 0, 3);
    run("CREATE TAG v1");
    assertRefused("OPTIMIZE TABLE v1.public.t", "v1");
    run("USE TAG v1");
    assertRefused("OPTIMIZE TABLE t", "v1");
    run("USE BRANCH main");

    run("BEGIN");
    assertRefused("OPTIMIZE TABLE t", "not allowed inside a transaction");
    run("ROLLBACK");

    assertRefused("OPTIMIZE TABLE no_such_table", "no_such_table");
    assertRefused("OPTIMIZE TABLE t WHERE nope > 1", "has no column nope");
    assertRefused("OPTIMIZE TABLE t WHERE id > 'many'", "cannot compare column id");
    assertRefused("OPTIMIZE TABLE t WHERE id > 1 OR id < 0", "comparisons of the table's columns with constants");
    assertRefused("OPTIMIZE TABLE a.b.c.d", "parts");

    run("PROTECT BRANCH main");
    try {
      assertRefused("OPTIMIZE TABLE t", "branch main is protected");
    } finally {
      run("UNPROTECT BRANCH main");
    }
    assertEquals(3, dataFiles("main"), "no refused OPTIMIZE changed anything");
    assertEquals(List.of(List.of("public.t", "3", "1", "3")), rows("OPTIMIZE TABLE t"));
  }

  @Test
  void aReaderMayNotOptimizeAWriterMay() throws SQLException {
    try (RunningServer secured = RunningServer.start(config -> config.withCredentials(
        new Credentials("root", "root-password")))) {
      try (Connection admin = secured.connect(login("root", "root-password")); Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE t (x INTEGER)");
        s.execute("INSERT INTO t VALUES (1)");
        s.execute("INSERT INTO t VALUES (2)");
        s.execute("CREATE USER reader PASSWORD 'reader-password'");
        s.execute("GRANT READ ON ALL BRANCHES TO USER reader");
        s.execute("CREATE USER writer PASSWORD 'writer-password'");
        s.execute("GRANT READ ON ALL BRANCHES TO USER writer");
        s.execute("GRANT WRITE ON ALL BRANCHES TO USER writer");
      }
      try (Connection reader = secured.connect(login("reader", "reader-password"));
          Statement s = reader.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("OPTIMIZE TABLE t"));
        assertTrue(e.getMessage().contains("WRITE"), e.getMessage());
      }
      try (Connection writer = secured.connect(login("writer", "writer-password"));
          Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("OPTIMIZE TABLE t")) {
        assertTrue(rs.next());
        assertEquals("2", rs.getString("files_before"));
        assertEquals("1", rs.getString("files_after"));
      }
    }
  }

  private static java.util.Properties login(String user, String password) {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return p;
  }

  @Test
  void rowsAppendedWhileOptimizingAreNeverLost() throws Exception {
    insertOneRowAtATime(c, 0, 60);
    List<String> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (Connection writer = server.connect(); Connection optimizer = server.connect();
        Connection second = server.connect()) {
      for (int round = 0; round < 3; round++) {
        int first = 100 + round * 20;
        Future<?> inserts = pool.submit(() -> {
          insertOneRowAtATime(writer, first, first + 20);
          return null;
        });
        Future<String> one = pool.submit(() -> optimizeOutcome(optimizer));
        Future<String> other = pool.submit(() -> optimizeOutcome(second));
        inserts.get();
        outcomes.add(one.get());
        outcomes.add(other.get());
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> expected = new ArrayList<>();
    for (int id = 0; id < 60; id++) {
      expected.add(Integer.toString(id));
    }
    for (int id = 100; id < 160; id++) {
      expected.add(Integer.toString(id));
    }
    assertEquals(expected, column(query("SELECT id FROM t ORDER BY id"), 1), "outcomes: " + outcomes);
    for (String outcome : outcomes) {
      assertTrue(outcome.equals("optimized") || outcome.contains("changed by another commit"), outcome);
    }
    // appends do not stop a compaction: in each round, at least the first of the two lands
    assertTrue(outcomes.stream().filter("optimized"::equals).count() >= 3, outcomes.toString());
    // once the writers are done, it compacts everything
    rows("OPTIMIZE TABLE t");
    assertEquals(1, dataFiles("main"));
    assertEquals(expected, column(query("SELECT id FROM t ORDER BY id"), 1));
  }

  private static String optimizeOutcome(Connection connection) {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("OPTIMIZE TABLE t")) {
      assertTrue(rs.next());
      return "optimized";
    } catch (SQLException e) {
      return String.valueOf(e.getMessage());
    }
  }

  private static void insertOneRowAtATime(Connection connection, int from, int to) throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (int id = from; id < to; id++) {
        String name = id % 7 == 0 ? "NULL" : "'row ' || " + id + " || ' ✓ Ölçü 𝄞'";
        s.executeUpdate("INSERT INTO t VALUES (" + id + ", " + name + ", " + id + ".125 * " + (id % 2 == 0 ? 1 : -1)
            + ", TIMESTAMP '2024-02-29 12:00:00' + INTERVAL (" + id + ") SECOND, " + (id % 3 == 0) + ")");
      }
    }
  }

  private void assertRefused(String sql, String expected) throws SQLException {
    SQLException e = assertThrows(SQLException.class, () -> rows(sql), sql);
    assertTrue(e.getMessage().contains(expected), sql + " -> " + e.getMessage());
    assertEquals(List.of("1"), column(query("SELECT 1"), 1), "the connection keeps serving");
  }

  /** Data files of table t on a branch, from its Iceberg metadata. */
  private int dataFiles(String branch) {
    Table table = server.server().tarn().lakehouse().catalog().loadTable(At.branch(branch), T);
    int files = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planWith(CallingThreadExecutor.INSTANCE)
        .planFiles()) {
      for (FileScanTask ignored : tasks) {
        files++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private List<String> log() throws SQLException {
    return column(query("SHOW LOG LIMIT 1000"), "commit_hash");
  }

  private String one(String sql, String columnName) throws SQLException {
    List<String> values = column(query(sql), columnName);
    assertEquals(1, values.size(), sql);
    return values.get(0);
  }

  private ResultSet query(String sql) throws SQLException {
    return c.createStatement().executeQuery(sql);
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Every row of a result, each cell as the driver's string. */
  private List<List<String>> rows(String sql) throws SQLException {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
    }
    assertFalse(sql.isBlank());
    return rows;
  }
}
