package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.core.session.SessionLimits;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session's temporary tables and views through the stock JDBC driver, as in DuckDB: named {@code
 * x}, {@code temp.x} or {@code temp.main.x} in reads and writes, found first for an unqualified name,
 * reachable by every statement of the session (also while one of its results streams), and by no
 * other session.
 */
class TemporaryTablesTest {
  private static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyWayOfNamingReachesTheTemporaryTableInReadsAndWrites() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE notes (id INTEGER, body VARCHAR)");
      s.executeUpdate("INSERT INTO notes VALUES (1, 'a')");
      s.executeUpdate("INSERT INTO temp.notes VALUES (2, 'b')");
      s.executeUpdate("INSERT INTO temp.main.notes VALUES (3, 'c')");
      s.executeUpdate("UPDATE temp.main.notes SET body = 'B' WHERE id = 2");
      s.executeUpdate("DELETE FROM temp.notes WHERE id = 1");
      List<String> expected = List.of("2B", "3c");
      for (String name : List.of("notes", "temp.notes", "temp.main.notes", "TEMP.MAIN.notes", "\"temp\".\"main\".notes")) {
        assertEquals(expected, column(s.executeQuery("SELECT id || body FROM " + name + " ORDER BY id"), 1), name);
      }
      assertEquals(List.of("2"), column(s.executeQuery(
          "SELECT n.id FROM temp.main.notes AS n JOIN temp.notes m ON n.id = m.id WHERE n.body = 'B'"), 1));
      s.execute("DROP TABLE temp.main.notes");
      assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM notes"));
      assertEquals(List.of("1"), column(s.executeQuery("SELECT 1"), 1), "the connection keeps serving");
    }
  }

  @Test
  void aTemporaryTableHidesALakehouseTableOfTheSameNameAsInDuckDb() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shadowed (v INTEGER)");
      s.executeUpdate("INSERT INTO shadowed VALUES (1)");
      s.execute("CREATE TEMP TABLE shadowed AS SELECT 2 AS v");
      assertEquals(List.of("2"), column(s.executeQuery("SELECT v FROM shadowed"), 1), "temporary first");
      assertEquals(List.of("1"), column(s.executeQuery("SELECT v FROM public.shadowed"), 1), "qualified: lakehouse");
      s.executeUpdate("INSERT INTO shadowed VALUES (3)");
      assertEquals(List.of("2", "3"), column(s.executeQuery("SELECT v FROM temp.shadowed ORDER BY v"), 1));
      assertEquals(List.of("1"), column(s.executeQuery("SELECT v FROM public.shadowed"), 1),
          "the write went to the temporary table, not the lakehouse");
      s.execute("DROP TABLE temp.shadowed");
      assertEquals(List.of("1"), column(s.executeQuery("SELECT v FROM shadowed"), 1));
    }
  }

  @Test
  void tablesCreatedAsTempXAreTemporary() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE temp.made_here AS SELECT 5 AS v");
      s.execute("CREATE VIEW temp.main.seen_here AS SELECT v + 1 AS w FROM made_here");
      assertEquals(List.of("6"), column(s.executeQuery("SELECT w FROM seen_here"), 1));
      assertFalse(column(s.executeQuery("SHOW TABLES FROM public"), 1).contains("made_here"),
          "not in the lakehouse");
      s.execute("DROP VIEW seen_here");
      s.execute("DROP TABLE IF EXISTS temp.never_made");
      SQLException missing = assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO temp.never_made VALUES (1)"));
      assertTrue(missing.getMessage().contains("no temporary table or view never_made"), missing.getMessage());
      SQLException history = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT * FROM temp.made_here AT BRANCH main"));
      assertTrue(history.getMessage().contains("has no history"), history.getMessage());
    }
  }

  @Test
  void statementsDuringAStreamingResultSeeAndChangeTheSessionsTemporaryTables() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement(); Statement streaming = c.createStatement()) {
      s.execute("CREATE TEMP TABLE during (v INTEGER)");
      s.executeUpdate("INSERT INTO during VALUES (1), (2)");
      try (ResultSet big = streaming.executeQuery("SELECT * FROM range(20000000)")) {
        assertTrue(big.next());
        s.executeUpdate("INSERT INTO during VALUES (3)");
        s.executeUpdate("UPDATE temp.during SET v = v * 10 WHERE v = 3");
        s.executeUpdate("DELETE FROM temp.main.during WHERE v = 1");
        s.execute("CREATE TEMP TABLE made_during AS SELECT count(*) AS n FROM during");
        assertEquals(List.of("2", "30"), column(s.executeQuery("SELECT v FROM during ORDER BY v"), 1));
        assertEquals(List.of("2"), column(s.executeQuery("SELECT n FROM made_during"), 1));
        assertTrue(big.next(), "the streaming result goes on");
      }
      assertEquals(List.of("2", "30"), column(s.executeQuery("SELECT v FROM during ORDER BY v"), 1));
    }
  }

  @Test
  void otherSessionsNeitherSeeNorNameTheTemporaryTables() throws SQLException {
    try (Connection mine = server.connect(); Connection other = server.connect();
        Statement s = mine.createStatement(); Statement o = other.createStatement()) {
      s.execute("CREATE TEMP TABLE private_notes AS SELECT 'secret' AS body");
      // a client cannot list the engine's catalogs; the test learns the internal name from the engine
      assertThrows(SQLException.class, () -> o.executeQuery("SELECT database_name FROM duckdb_databases()"));
      List<String> catalogs = temporaryCatalogs(server);
      assertFalse(catalogs.isEmpty());
      assertThrows(SQLException.class, () -> o.executeQuery("SELECT * FROM private_notes"));
      assertThrows(SQLException.class, () -> o.executeQuery("SELECT * FROM temp.private_notes"));
      assertThrows(SQLException.class, () -> o.executeUpdate("INSERT INTO temp.private_notes VALUES ('x')"));
      for (String catalog : catalogs) {
        SQLException e = assertThrows(SQLException.class,
            () -> o.executeQuery("SELECT * FROM \"" + catalog + "\".main.private_notes"));
        // named as catalog.schema.table it is internal; read as branch.schema.table no such branch exists
        assertTrue(e.getMessage().contains("internal to the Tarn server") || e.getMessage().contains("does not exist"),
            e.getMessage());
        assertThrows(SQLException.class, () -> o.executeUpdate("INSERT INTO \"" + catalog + "\".main.private_notes"
            + " VALUES ('changed')"));
        assertThrows(SQLException.class, () -> o.executeUpdate("CREATE TEMP TABLE stolen AS SELECT * FROM \""
            + catalog + "\".main.private_notes"));
      }
      assertEquals(List.of("secret"), column(s.executeQuery("SELECT body FROM private_notes"), 1));
    }
  }

  @Test
  void anEndedSessionsTemporaryTablesAreDropped() throws Exception {
    // clients rarely close their session: it ends when idle for the timeout, here two seconds
    try (RunningServer briefSessions = RunningServer.start(config -> config.withSessionLimits(new SessionLimits(
            SessionLimits.DEFAULT_MAX_SESSIONS, SessionLimits.DEFAULT_MAX_SESSIONS_PER_USER, Duration.ofSeconds(2))))) {
      List<String> before = temporaryCatalogs(briefSessions);
      String mine;
      try (Connection c = briefSessions.connect(); Statement s = c.createStatement()) {
        s.execute("CREATE TEMP TABLE short_lived AS SELECT * FROM range(1000)");
        List<String> created = new java.util.ArrayList<>(temporaryCatalogs(briefSessions));
        created.removeAll(before);
        assertEquals(1, created.size(), "one new temporary catalog: " + created);
        mine = created.get(0);
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (temporaryCatalogs(briefSessions).contains(mine) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertFalse(temporaryCatalogs(briefSessions).contains(mine), "the ended session's catalog is detached");
    }
  }

  @Test
  void tempIsReservedForTemporaryTables() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      for (String sql : List.of("CREATE BRANCH temp", "CREATE BRANCH TEMP", "CREATE TAG temp", "CREATE SCHEMA temp",
          "CREATE SCHEMA \"Temp\"")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertTrue(e.getMessage().contains("reserved for the session's temporary tables"), sql + " -> " + e.getMessage());
      }
      assertEquals(List.of("1"), column(s.executeQuery("SELECT 1"), 1));
    }
  }

  /** The sessions' temporary catalogs, as the server's engine lists them (clients cannot list them). */
  private static List<String> temporaryCatalogs(RunningServer running) throws SQLException {
    try (Connection c = running.server().engine().openInternalConnection(); Statement s = c.createStatement()) {
      return column(s.executeQuery("SELECT database_name FROM duckdb_databases() WHERE database_name LIKE"
          + " 'tarn_temp_%'"), 1);
    }
  }
}
