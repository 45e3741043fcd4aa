package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tarn composes DuckDB texts around the parts of a client's statement (column lists, types,
 * assignments, conditions, queries). A line comment that ends one of those parts must end there: it
 * may not swallow the text Tarn writes after it.
 */
class ClientFragmentsTest {
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
  void aLineCommentAtTheEndOfEachPartOfAWriteKeepsTheStatementWhole() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE commented (a INT, b VARCHAR -- the last column\n)");
      s.execute("CREATE TABLE commented_parts (a INT -- the only column\n) PARTITIONED BY (a)");
      s.execute("ALTER TABLE commented ADD COLUMN c INT -- added later");
      s.executeUpdate("INSERT INTO commented VALUES (1, 'x', 10) -- one row");
      s.executeUpdate("INSERT INTO commented SELECT 2, 'y', 20 -- another");
      s.executeUpdate("INSERT INTO commented (a, b) VALUES (3, 'z') -- c stays NULL");
      s.executeUpdate("UPDATE commented SET b = 'Y' WHERE a = 2 -- condition last");
      s.executeUpdate("UPDATE commented SET c = 30 -- assignments last\n");
      s.executeUpdate("DELETE FROM commented WHERE a = 1 -- gone");
      s.execute("CREATE TABLE commented_copy AS SELECT * FROM commented -- a copy");
      assertEquals(List.of("2|Y|30", "3|z|30"), column(s.executeQuery(
          "SELECT a || '|' || b || '|' || c FROM commented_copy ORDER BY a -- read"), 1));
      assertEquals(List.of("2"), column(s.executeQuery("SELECT a FROM commented WHERE a = 2 -- pruned scan"), 1));
      assertEquals(List.of("a", "b", "c"), column(s.executeQuery("SELECT column_name FROM (DESCRIBE commented)"), 1));
    }
  }

  @Test
  void aLineCommentAtTheEndOfEachPartOfATemporaryWriteKeepsTheStatementWhole() throws SQLException {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE scribble (a INT --\n)");
      s.execute("CREATE TEMP VIEW scribbled AS SELECT a * 2 AS twice FROM scribble -- a view");
      s.executeUpdate("INSERT INTO scribble VALUES (1), (2) -- rows");
      s.executeUpdate("UPDATE scribble SET a = a + 10 -- every row");
      s.executeUpdate("DELETE FROM scribble WHERE a = 11 -- one row");
      assertEquals(List.of("24"), column(s.executeQuery("SELECT twice FROM scribbled -- read"), 1));
    }
  }
}
