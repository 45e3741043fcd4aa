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

/** Git for data through the stock Flight SQL JDBC driver: branches, merges, tags, time travel. */
class GitForDataTest {
  private RunningServer server;
  private Connection c;

  @BeforeEach
  void start() throws SQLException {
    server = RunningServer.start();
    c = server.connect();
    run("CREATE SCHEMA sales");
    run("CREATE TABLE sales.transactions (id BIGINT, usd DOUBLE, country VARCHAR, eventTime TIMESTAMP)");
    run("INSERT INTO sales.transactions VALUES (1, 10.0, 'IT', TIMESTAMP '2023-01-05 10:00:00'),"
        + " (2, 20.0, 'FR', TIMESTAMP '2023-01-06 11:00:00'), (3, 5.0, 'US', TIMESTAMP '2023-02-10 09:30:00')");
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> values(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return column(s.executeQuery(sql), 1);
    }
  }

  private String one(String sql) throws SQLException {
    List<String> values = values(sql);
    assertEquals(1, values.size(), sql + " -> " + values);
    return values.get(0);
  }

  private String head(String reference) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG " + reference + " LIMIT 1")) {
      assertTrue(rs.next());
      return rs.getString("commit_hash");
    }
  }

  @Test
  void changesOnABranchStayThereUntilMerged() throws SQLException {
    run("CREATE BRANCH dev");
    run("USE BRANCH dev");
    run("INSERT INTO sales.transactions VALUES (4, 40.0, 'DE', TIMESTAMP '2023-01-20 08:00:00')");
    run("DELETE FROM sales.transactions WHERE country = 'US'");
    assertEquals("3", one("SELECT count(*) FROM sales.transactions"));
    assertEquals("3", one("SELECT count(*) FROM main.sales.transactions"), "main does not see dev's rows");
    assertEquals(List.of("1", "2", "3"), values("SELECT id FROM main.sales.transactions ORDER BY id"));

    run("USE BRANCH main");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("MERGE BRANCH dev INTO main")) {
      assertTrue(rs.next());
      assertEquals("main", rs.getString("target"));
      assertFalse(rs.getString("commit_hash").isEmpty());
    }
    assertEquals(List.of("1", "2", "4"), values("SELECT id FROM sales.transactions ORDER BY id"));
  }

  @Test
  void aConflictingMergeNamesTheTableAndChangesNothing() throws SQLException {
    run("CREATE BRANCH dev");
    run("INSERT INTO dev.sales.transactions SELECT 5, 1.0, 'ES', TIMESTAMP '2023-01-07 00:00:00'");
    run("UPDATE sales.transactions SET usd = usd * 2 WHERE id = 1");
    String before = head("main");
    SQLException e = assertThrows(SQLException.class, () -> run("MERGE BRANCH dev INTO main"));
    assertTrue(e.getMessage().contains("sales.transactions"), e.getMessage());
    assertEquals(before, head("main"), "a failed merge leaves main exactly as it was");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("MERGE BRANCH DRY RUN dev INTO main")) {
      assertTrue(rs.next());
      assertFalse(rs.getBoolean("would_apply"));
    }
  }

  @Test
  void appendsOnBothBranchesMergeAsTheirUnion() throws SQLException {
    run("CREATE BRANCH dev");
    run("INSERT INTO dev.sales.transactions VALUES (5, 5.0, 'ES', TIMESTAMP '2023-01-07 00:00:00')");
    run("INSERT INTO sales.transactions VALUES (6, 6.0, 'IT', TIMESTAMP '2023-01-08 00:00:00')");
    String before = head("main");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("MERGE BRANCH DRY RUN dev INTO main")) {
      assertTrue(rs.next());
      assertTrue(rs.getBoolean("would_apply"));
      assertEquals("[\"sales.transactions: union of appends\"]", rs.getString("table_outcomes"));
    }
    assertEquals(before, head("main"), "a dry run changes nothing");
    run("MERGE BRANCH dev INTO main");
    assertEquals(List.of("1", "2", "3", "5", "6"), values("SELECT id FROM sales.transactions ORDER BY id"));
    assertEquals(List.of("1", "2", "3", "5"), values("SELECT id FROM dev.sales.transactions ORDER BY id"));
    run("INSERT INTO dev.sales.transactions VALUES (7, 7.0, 'FR', TIMESTAMP '2023-01-09 00:00:00')");
    run("MERGE BRANCH main INTO dev");
    assertEquals(List.of("1", "2", "3", "5", "6", "7"), values("SELECT id FROM dev.sales.transactions ORDER BY id"));

    // a rewrite on one side stays a conflict, and says why
    run("INSERT INTO dev.sales.transactions VALUES (8, 8.0, 'PT', TIMESTAMP '2023-01-10 00:00:00')");
    run("DELETE FROM sales.transactions WHERE id = 6");
    before = head("main");
    SQLException e = assertThrows(SQLException.class, () -> run("MERGE BRANCH dev INTO main"));
    assertTrue(e.getMessage().contains("not only by appends: main rewrote or removed some of its data files"),
        e.getMessage());
    assertEquals(before, head("main"));
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("MERGE BRANCH DRY RUN dev INTO main")) {
      assertTrue(rs.next());
      assertFalse(rs.getBoolean("would_apply"));
      assertEquals("[\"sales.transactions: conflict\"]", rs.getString("table_outcomes"));
    }
  }

  @Test
  void afterMergesBothWaysACompactionOfRowsBothSidesHoldIsAConflictNotADoubling() throws SQLException {
    // Found by GitModelConformanceTest: ops and dev each merged into main and dev into ops, so main and
    // ops share two ancestors. Under the older one, main's compacted file (holding ops's 6) looked
    // appended, and the merge gave ops that 6 twice.
    run("CREATE SCHEMA m");
    run("CREATE TABLE m.a (k BIGINT)");
    run("CREATE TABLE m.b (k BIGINT)");
    run("CREATE BRANCH dev");
    run("CREATE BRANCH ops");
    run("INSERT INTO dev.m.b VALUES (0)");
    run("INSERT INTO dev.m.b VALUES (4)");
    run("INSERT INTO ops.m.a VALUES (6)");
    run("MERGE BRANCH dev INTO main");
    run("INSERT INTO main.m.a VALUES (4), (6)");
    run("INSERT INTO main.m.b VALUES (8)");
    run("MERGE BRANCH ops INTO main");
    run("MERGE BRANCH dev INTO ops");
    run("INSERT INTO main.m.a VALUES (2)");
    run("OPTIMIZE TABLE main.m.a");
    run("INSERT INTO ops.m.a VALUES (8)");
    String before = head("ops");
    SQLException e = assertThrows(SQLException.class, () -> run("MERGE BRANCH main INTO ops"));
    assertTrue(e.getMessage().contains("m.a") && e.getMessage().contains("rewrote or removed"), e.getMessage());
    assertEquals(before, head("ops"));
    assertEquals(List.of("6", "8"), values("SELECT k FROM ops.m.a ORDER BY k"));
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("MERGE BRANCH DRY RUN main INTO ops")) {
      assertTrue(rs.next());
      assertFalse(rs.getBoolean("would_apply"));
    }
  }

  @Test
  void afterMergesBothWaysATableOnlyOneSideChangedSinceTheNewestAncestorTakesThatSide() throws SQLException {
    // Found by GitModelConformanceTest: ops and main were each merged into dev, and main into ops.
    // Nessie names an older shared ancestor of ops and dev, under which m.a changed on both sides;
    // since the newest one only ops changed it, so ops's version is the merge's answer.
    run("CREATE SCHEMA m");
    run("CREATE TABLE m.a (k BIGINT)");
    run("CREATE TABLE m.b (k BIGINT)");
    run("CREATE BRANCH dev");
    run("CREATE BRANCH ops");
    run("INSERT INTO ops.m.b VALUES (0), (1)");
    run("INSERT INTO main.m.a VALUES (0), (5), (0)");
    run("MERGE BRANCH ops INTO dev");
    run("MERGE BRANCH main INTO dev");
    run("MERGE BRANCH ops INTO dev");
    run("MERGE BRANCH main INTO ops");
    run("DELETE FROM ops.m.a WHERE k < 1");
    run("ALTER TABLE ops.m.a ADD COLUMN c20 VARCHAR");
    run("MERGE BRANCH ops INTO dev");
    assertEquals(List.of("5"), values("SELECT k FROM dev.m.a ORDER BY k"));
    assertEquals(List.of("0", "1"), values("SELECT k FROM dev.m.b ORDER BY k"));
    assertEquals("0", one("SELECT count(c20) FROM dev.m.a"), "ops's new column came over");
  }

  @Test
  void tagsAreReadOnlyAndTimeTravelReturnsOldRows() throws SQLException {
    run("CREATE TAG v1");
    String v1Commit = head("main");
    Thread.yield();
    run("INSERT INTO sales.transactions VALUES (9, 99.0, 'IT', TIMESTAMP '2023-03-01 00:00:00')");
    assertEquals("4", one("SELECT count(*) FROM sales.transactions"));
    assertEquals("3", one("SELECT count(*) FROM sales.transactions AT TAG v1"));
    assertEquals("3", one("SELECT count(*) FROM sales.transactions AT COMMIT '" + v1Commit.substring(0, 12) + "'"));
    String v1Time;
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG main LIMIT 2")) {
      assertTrue(rs.next());
      assertTrue(rs.next());
      v1Time = rs.getTimestamp("committed_at").toInstant().toString();
    }
    assertEquals("3", one("SELECT count(*) FROM sales.transactions AT TIMESTAMP '" + v1Time + "'"));
    assertEquals("1", one("SELECT count(*) FROM sales.transactions AT TAG v1 a JOIN sales.transactions b"
        + " ON a.id = b.id WHERE b.id = 1"), "one query joins one table at two points in time");
    // DuckDB's integer division and nested comments, which Calcite's own lexer reads otherwise, keep Tarn's syntax
    assertEquals("3", one("SELECT count(*) FROM sales.transactions AT TAG v1 /* a /* b */ */ WHERE id >= 3 // 3"));
    assertEquals("4", one("SELECT count(*) FROM main.sales.transactions /* x /* y */ AT TAG v1 */ WHERE id >= 3 //3"));

    run("USE TAG v1");
    assertEquals("3", one("SELECT count(*) FROM sales.transactions"));
    SQLException e = assertThrows(SQLException.class,
        () -> run("INSERT INTO sales.transactions VALUES (10, 1.0, 'IT', TIMESTAMP '2023-03-01 00:00:00')"));
    assertTrue(e.getMessage().contains("tag v1 is read-only"), e.getMessage());
  }

  @Test
  void branchesAreCatalogsInTheMetadataTree() throws SQLException {
    run("CREATE BRANCH dev");
    run("CREATE TABLE dev.sales.only_on_dev (x INTEGER)");
    List<String> catalogs = column(c.getMetaData().getCatalogs(), "TABLE_CAT");
    assertTrue(catalogs.containsAll(List.of("main", "dev")), catalogs.toString());
    assertEquals(List.of("only_on_dev", "transactions"),
        column(c.getMetaData().getTables("dev", "sales", "%", null), "TABLE_NAME"));
    assertEquals(List.of("transactions"), column(c.getMetaData().getTables("main", "sales", "%", null), "TABLE_NAME"));
    assertEquals(List.of("id", "usd", "country", "eventTime"),
        column(c.getMetaData().getColumns("main", "sales", "transactions", null), "COLUMN_NAME"));
    try (Statement s = c.createStatement()) {
      assertEquals(List.of("dev", "main"), column(s.executeQuery("SHOW BRANCHES"), "name"));
    }
  }

  @Test
  void transactionsCommitAsOneCommitAndRollBackToNothing() throws SQLException {
    String before = head("main");
    run("BEGIN");
    run("INSERT INTO sales.transactions VALUES (7, 70.0, 'IT', TIMESTAMP '2023-01-08 00:00:00')");
    run("DELETE FROM sales.transactions WHERE id = 1");
    assertEquals("3", one("SELECT count(*) FROM sales.transactions"), "the session reads its own writes");
    try (Connection other = server.connect(); Statement s = other.createStatement()) {
      assertEquals(List.of("1", "2", "3"), column(s.executeQuery("SELECT id FROM sales.transactions ORDER BY id"), 1),
          "other sessions see nothing before COMMIT");
      assertFalse(column(s.executeQuery("SHOW BRANCHES"), "name").stream().anyMatch(n -> n.startsWith("tarn_tx_")),
          "the transaction's private branch is not listed");
    }
    run("ROLLBACK");
    assertEquals(before, head("main"), "ROLLBACK leaves the branch unchanged");
    assertEquals(List.of("1", "2", "3"), values("SELECT id FROM sales.transactions ORDER BY id"));

    run("BEGIN TRANSACTION");
    run("INSERT INTO sales.transactions VALUES (8, 80.0, 'FR', TIMESTAMP '2023-01-09 00:00:00')");
    run("UPDATE sales.transactions SET usd = 0 WHERE id = 2");
    run("COMMIT");
    assertEquals(List.of("1", "2", "3", "8"), values("SELECT id FROM sales.transactions ORDER BY id"));
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG main LIMIT 2")) {
      assertTrue(rs.next());
      assertTrue(rs.getString("message").contains("INSERT INTO sales.transactions"), rs.getString("message"));
      assertTrue(rs.getString("message").contains("UPDATE sales.transactions"), rs.getString("message"));
      assertTrue(rs.next());
      assertEquals(before, rs.getString("commit_hash"), "both statements landed as a single commit");
    }
    SQLException e = assertThrows(SQLException.class, () -> run("COMMIT"));
    assertTrue(e.getMessage().contains("without a transaction"), e.getMessage());
  }

  @Test
  void concurrentAppendsFromSeveralSessionsAllLand() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<Integer>> sessions = new java.util.ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      sessions.add(pool.submit(() -> {
        try (Connection own = server.connect(); Statement s = own.createStatement()) {
          for (int i = 0; i < 5; i++) {
            s.executeUpdate("INSERT INTO sales.transactions VALUES (" + (1000 + writer * 100 + i)
                + ", 1.0, 'IT', TIMESTAMP '2023-01-01 00:00:00')");
          }
        }
        return 5;
      }));
    }
    for (java.util.concurrent.Future<Integer> f : sessions) {
      assertEquals(5, f.get(120, java.util.concurrent.TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertEquals("23", one("SELECT count(*) FROM sales.transactions"), "3 rows + 4 sessions x 5 appends, none lost");
  }

  @Test
  void clientSqlCannotReachTheCatalogsOwnFiles() {
    String repository = server.warehouse().resolve("catalog").toString();
    SQLException e = assertThrows(SQLException.class,
        () -> values("SELECT * FROM glob('" + repository + "/*')"));
    assertTrue(e.getMessage().contains("warehouse") || e.getMessage().contains("Permission"), e.getMessage());
  }

  @Test
  void aliasesFromDremioAndNessieSpark() throws SQLException {
    run("CREATE BRANCH b1 AT BRANCH main");
    try (Statement s = c.createStatement()) {
      assertTrue(column(s.executeQuery("LIST REFERENCES"), "name").contains("b1"));
      assertFalse(column(s.executeQuery("SHOW LOGS b1"), "commit_hash").isEmpty());
    }
    run("INSERT INTO sales.transactions VALUES (50, 5.0, 'IT', TIMESTAMP '2023-01-02 00:00:00')");
    run("ASSIGN BRANCH b1 TO main IN tarn");
    assertEquals("4", one("SELECT count(*) FROM b1.sales.transactions"));
    SQLException e = assertThrows(SQLException.class, () -> run("SHOW BRANCHES IN elsewhere"));
    assertTrue(e.getMessage().contains("elsewhere"), e.getMessage());
  }

  @Test
  void rollbackWithAlterBranchAssign() throws SQLException {
    String before = head("main");
    run("DELETE FROM sales.transactions");
    assertEquals("0", one("SELECT count(*) FROM sales.transactions"));
    run("ALTER BRANCH main ASSIGN TO main AT COMMIT '" + before + "'");
    assertEquals("3", one("SELECT count(*) FROM sales.transactions"));
  }
}
