package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Lakehouse views through the stock Flight SQL JDBC driver: versioned with their branch, merged like
 * tables, read at the commit the statement reads (time travel included), listed as VIEW in the
 * metadata tree and by SHOW VIEWS, and judged like any query.
 */
class ViewsTest {
  private RunningServer server;
  private Connection c;

  @BeforeEach
  void start() throws SQLException {
    server = RunningServer.start();
    c = server.connect();
    run("CREATE SCHEMA sales");
    run("CREATE TABLE sales.t (id BIGINT, usd DOUBLE)");
    run("INSERT INTO sales.t VALUES (1, 5.0), (2, 50.0)");
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  @Test
  void aViewLivesOnItsBranchReadsTheCommitItIsReadAtAndMergesLikeATable() throws SQLException {
    run("CREATE BRANCH dev");
    run("USE BRANCH dev");
    run("USE sales"); // the view's unqualified names resolve in the schema it was made in
    String beforeView = head("dev");
    run("CREATE VIEW sales.big AS SELECT id, usd FROM t WHERE usd > 10");
    String withView = head("dev");
    assertEquals(List.of("2"), values("SELECT id FROM sales.big ORDER BY id"));
    run("INSERT INTO sales.t VALUES (3, 300.0)");
    run("USE public");
    assertEquals(List.of("2", "3"), values("SELECT id FROM sales.big ORDER BY id"), "a view shows new rows");
    assertEquals(List.of("2"), values("SELECT id FROM sales.big AT COMMIT '" + withView + "' ORDER BY id"),
        "time travel reads the view and its table at that commit");
    SQLException before = assertThrows(SQLException.class,
        () -> values("SELECT * FROM sales.big AT COMMIT '" + beforeView + "'"));
    assertTrue(before.getMessage().contains("sales.big"), before.getMessage());
    SQLException onMain = assertThrows(SQLException.class, () -> values("SELECT * FROM main.sales.big"));
    assertTrue(onMain.getMessage().contains("big"), onMain.getMessage());

    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW VIEWS")) {
      assertTrue(rs.next());
      assertEquals(List.of("sales", "big", "SELECT id, usd FROM t WHERE usd > 10"),
          List.of(rs.getString("schema_name"), rs.getString("view_name"), rs.getString("sql")));
      assertTrue(!rs.next());
    }
    assertEquals(List.of(), values("SHOW VIEWS main"));
    run("USE BRANCH main");
    run("MERGE BRANCH dev INTO main");
    assertEquals(List.of("2", "3"), values("SELECT id FROM sales.big ORDER BY id"), "merged with its branch");
    assertEquals(List.of("big"), column(c.getMetaData().getTables("main", "sales", "%", new String[] {"VIEW"}),
        "TABLE_NAME"));
    assertEquals(List.of("t"), column(c.getMetaData().getTables("main", "sales", "%", new String[] {"TABLE"}),
        "TABLE_NAME"));
    assertEquals(List.of("VIEW", "TABLE"), column(c.getMetaData().getTables("main", "sales", "%", null), "TABLE_TYPE")
        .stream().sorted(java.util.Comparator.reverseOrder()).toList());
    assertEquals(List.of("id", "usd"), column(c.getMetaData().getColumns("main", "sales", "big", null),
        "COLUMN_NAME"));
    assertEquals(List.of("id", "usd"), values("DESCRIBE sales.big"));

    run("CREATE OR REPLACE VIEW sales.big AS SELECT id FROM sales.t WHERE usd > 100");
    assertEquals(List.of("3"), values("SELECT * FROM sales.big"));
    run("DROP VIEW sales.big");
    assertThrows(SQLException.class, () -> values("SELECT * FROM sales.big"));
    assertEquals(List.of("2", "3"), values("SELECT id FROM dev.sales.big ORDER BY id"), "dev keeps its view");
  }

  @Test
  void viewsAreJudgedLikeQueriesAndKeepTheirNamesApartFromTables() throws SQLException {
    assertRefused("CREATE VIEW v AS SELECT * FROM read_csv('/etc/passwd')", "read_csv");
    assertRefused("CREATE VIEW v AS SELECT * FROM nowhere", "nowhere");
    assertRefused("CREATE VIEW v AS DELETE FROM sales.t", "query");
    assertRefused("CREATE VIEW sales.t AS SELECT 1 AS x", "table sales.t already exists");
    run("CREATE VIEW v AS SELECT 1 AS x");
    assertRefused("CREATE VIEW v AS SELECT 2 AS x", "view public.v already exists");
    assertRefused("CREATE TABLE v (x INT)", "view public.v already exists");
    assertRefused("DROP TABLE v", "is a view");
    assertRefused("DROP VIEW sales.t", "is a table");
    assertRefused("DROP VIEW nope", "view public.nope does not exist");
    run("DROP VIEW IF EXISTS nope");
    run("CREATE VIEW IF NOT EXISTS v AS SELECT 2 AS x");
    assertEquals(List.of("1"), values("SELECT x FROM v"), "IF NOT EXISTS leaves the view as it was");

    run("CREATE VIEW w AS SELECT x FROM v");
    run("CREATE OR REPLACE VIEW v AS SELECT x FROM w");
    assertRefused("SELECT * FROM v", "refers to itself");
    assertEquals(List.of("v", "w"), column(c.getMetaData().getTables(null, "public", "%", new String[] {"VIEW"}),
        "TABLE_NAME"), "a broken view stays listed");
    assertEquals(List.of(), column(c.getMetaData().getColumns(null, "public", "v", null), "COLUMN_NAME"),
        "with no columns, and the metadata calls keep answering");
    run("CREATE TAG v1");
    assertRefused("CREATE VIEW v1.public.z AS SELECT 1", "v1");
    assertEquals(List.of("2"), values("SELECT count(*) FROM sales.t"), "the connection keeps serving");
  }

  private void assertRefused(String sql, String expected) {
    SQLException e = assertThrows(SQLException.class, () -> run(sql), sql);
    assertTrue(e.getMessage().contains(expected), sql + " -> " + e.getMessage());
  }

  private String head(String branch) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG " + branch + " LIMIT 1")) {
      assertTrue(rs.next());
      return rs.getString("commit_hash");
    }
  }

  /**
   * Inside a transaction, the branch it commits into reads as the transaction sees it, through a view
   * read at another branch too: a view on main whose body names dev, read inside a transaction on dev.
   */
  @Test
  void aViewOfAnotherBranchSeesTheTransactionThroughTheNamesOfItsBody() throws SQLException {
    run("CREATE BRANCH dev");
    run("CREATE VIEW sales.dev_total AS SELECT count(*) AS n FROM dev.sales.t");
    run("USE BRANCH dev");
    run("BEGIN");
    run("INSERT INTO sales.t VALUES (3, 300.0)");
    assertEquals(List.of("3"), values("SELECT count(*) FROM sales.t"), "the transaction reads its own row");
    assertEquals(List.of("3"), values("SELECT n FROM main.sales.dev_total"), "so does the view, through dev.sales.t");
    run("ROLLBACK");
    assertEquals(List.of("2"), values("SELECT n FROM main.sales.dev_total"), "rolled back");
  }

  private List<String> values(String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return column(rs, 1);
    }
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
