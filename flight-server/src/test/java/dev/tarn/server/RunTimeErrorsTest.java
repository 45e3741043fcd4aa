package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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
