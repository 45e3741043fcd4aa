package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Errors DuckDB raises while a query runs, rather than while it is prepared: a value that does not
 * convert, {@code error()}, a failure on a later batch. DuckDB's streaming JDBC driver reports them
 * as "Invalid result set"; the client must get DuckDB's own words, through the stock Flight SQL
 * JDBC driver, and the connection must keep serving.
 */
class RunTimeErrorsTest {
  private static final String NOT_AN_INTEGER = "Could not convert string 'x' to INT32";

  @Test
  void anErrorRaisedWhileAQueryRunsReachesTheClientInDuckDbsWords() throws Exception {
    try (RunningServer server = RunningServer.start(); Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE codes AS SELECT * FROM (VALUES ('1'), ('x')) t(code)");
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("SELECT CAST(code AS INTEGER) FROM codes", NOT_AN_INTEGER);
      expected.put("SELECT error('no code for ' || code) FROM codes", "no code for 1");
      expected.put("SELECT sum(CAST(code AS INTEGER)) FROM codes", NOT_AN_INTEGER);
      expected.put("/* a comment */ WITH c AS (SELECT code FROM codes) SELECT code::INTEGER FROM c", NOT_AN_INTEGER);
      // fails on a batch after earlier ones were already sent
      expected.put("SELECT CAST(CASE WHEN range = 300000 THEN 'x' ELSE '1' END AS INTEGER) FROM range(400000)",
          NOT_AN_INTEGER);
      for (Map.Entry<String, String> query : expected.entrySet()) {
        Exception e = assertThrows(Exception.class, () -> readAll(s.executeQuery(query.getKey())), query.getKey());
        String message = messages(e);
        assertTrue(message.contains(query.getValue()), query.getKey() + " -> " + message);
        assertFalse(message.contains("Invalid result set"), query.getKey() + " -> " + message);
        assertFalse(message.contains("CDataJniException"), query.getKey() + " -> " + message);
        assertEquals(1, readAll(s.executeQuery("SELECT 1")), "the connection keeps serving");
      }
      try (PreparedStatement p = c.prepareStatement("SELECT CAST(code AS INTEGER) + ? FROM codes")) {
        p.setInt(1, 1);
        Exception e = assertThrows(Exception.class, () -> readAll(p.executeQuery()));
        assertTrue(messages(e).contains(NOT_AN_INTEGER), messages(e));
      }
      assertEquals(2, readAll(s.executeQuery("SELECT code FROM codes")));
      // a value in the message is the user's: it does not make the error a cancel
      Exception interrupted = assertThrows(Exception.class,
          () -> readAll(s.executeQuery("SELECT CAST(code || 'Interrupted' AS INTEGER) FROM codes")));
      assertTrue(messages(interrupted).contains("Could not convert string '1Interrupted'"), messages(interrupted));
      assertFalse(messages(interrupted).contains("cancelled"), messages(interrupted));
    }
  }

  @Test
  void aBrokenDataFileIsNamedFromTheWarehouseOnNotByTheServersPath() throws Exception {
    try (RunningServer server = RunningServer.start(); Connection c = server.connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE readings AS SELECT range AS id FROM range(1000)");
      s.executeUpdate("INSERT INTO readings SELECT range FROM range(1000, 1010)");
      Path second = server.dataFiles().stream()
          .max(Comparator.comparing(f -> f.toFile().lastModified())).orElseThrow();
      Files.write(second, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
      Exception e = assertThrows(Exception.class, () -> readAll(s.executeQuery("SELECT sum(id) FROM readings")));
      String message = messages(e);
      assertTrue(message.contains(second.getFileName().toString()), message);
      assertFalse(message.contains(server.warehouse().toString()), message);
      assertEquals(1, readAll(s.executeQuery("SELECT 1")), "the connection keeps serving");
    }
  }

  private static int readAll(ResultSet rows) throws Exception {
    int n = 0;
    try (rows) {
      while (rows.next()) {
        n++;
      }
    }
    return n;
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }
}
