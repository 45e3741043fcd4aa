package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A query's filters skip data files through Iceberg's metadata before DuckDB opens them. */
class ScanPruningTest {

  @Test
  void filtersSkipFilesByPartitionAndBounds() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withMetricsPort(0));
        Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE events (id BIGINT, country VARCHAR, ts TIMESTAMP) PARTITIONED BY (country)");
      s.executeUpdate("INSERT INTO events SELECT range, 'IT', TIMESTAMP '2023-01-01' + INTERVAL (range) MINUTE"
          + " FROM range(0, 100)");
      s.executeUpdate("INSERT INTO events SELECT range, 'FR', TIMESTAMP '2023-02-01' + INTERVAL (range) MINUTE"
          + " FROM range(100, 200)");
      s.executeUpdate("INSERT INTO events SELECT range, 'DE', TIMESTAMP '2023-03-01' + INTERVAL (range) MINUTE"
          + " FROM range(200, 300)");

      assertEquals(List.of("100"), column(s.executeQuery("SELECT count(*) FROM events WHERE country = 'IT'"), 1));
      assertEquals(2, skipped(server) - 0, "the FR and DE files were never opened");
      assertEquals(List.of("50"), column(s.executeQuery(
          "SELECT count(*) FROM events e WHERE e.id >= 150 AND e.id < 200"), 1), "bounds prune, aliases work");
      assertEquals(List.of("100"), column(s.executeQuery(
          "SELECT count(*) FROM events WHERE ts >= TIMESTAMP '2023-03-01 00:00:00'"), 1));
      assertEquals(List.of("0"), column(s.executeQuery("SELECT count(*) FROM events WHERE country = 'US'"), 1));
      assertEquals(List.of("300"), column(s.executeQuery("SELECT count(*) FROM events WHERE upper(country) <> 'X'"), 1),
          "conditions Tarn cannot use for pruning still filter correctly");
      assertEquals(List.of("100"), column(s.executeQuery("SELECT count(*) FROM events WHERE id >= 400 //2"), 1),
          "DuckDB's integer division, a comment to Calcite: id >= 200, not id >= 400");
      assertEquals(List.of("300"), column(s.executeQuery(
          "SELECT count(*) FROM events WHERE id >= 200 /* /* */ -- */ OR id >= 0"), 1),
          "DuckDB nests comments, Calcite ends the first at its first close: the OR is DuckDB's");
      assertTrue(skipped(server) >= 2 + 2 + 2 + 3, "each filtered query skipped files: " + skipped(server));
    }
  }

  @Test
  void aFloatIsComparedAsDuckDbComparesIt() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withMetricsPort(0));
        Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE measures (id INTEGER, f FLOAT, d DOUBLE)");
      s.executeUpdate("INSERT INTO measures VALUES (1, 0.1, 0.1)");
      s.executeUpdate("INSERT INTO measures VALUES (2, 5, 5)");
      s.executeUpdate("INSERT INTO measures VALUES (3, 'inf', 'inf'), (4, 'nan', 'nan')");
      // an exponent is a DOUBLE to DuckDB: the FLOAT 0.1 (0.100000001...) is above the DOUBLE 0.1
      assertEquals(List.of("1", "2", "3", "4"), column(s.executeQuery("SELECT id FROM measures WHERE f > 1e-1 ORDER BY id"), 1));
      assertEquals(List.of("3", "4"), column(s.executeQuery("SELECT id FROM measures WHERE f > 1e39 ORDER BY id"), 1));
      assertEquals(List.of("2", "3", "4"), column(s.executeQuery("SELECT id FROM measures WHERE f > 0.1 ORDER BY id"), 1));
      assertEquals(List.of("2", "3", "4"), column(s.executeQuery("SELECT id FROM measures WHERE d > 1e-1 ORDER BY id"), 1));
    }
  }

  @Test
  void negativeZeroIsZeroToEveryFilter() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withMetricsPort(0));
        Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE zeros (id INTEGER, f FLOAT, d DOUBLE)");
      s.executeUpdate("INSERT INTO zeros VALUES (1, '-0.0', '-0.0')"); // a file whose only value is -0.0
      s.executeUpdate("INSERT INTO zeros SELECT * FROM (VALUES (2, -1.0::FLOAT, -1.0), (3, '-0.0'::FLOAT,"
          + " '-0.0'::DOUBLE)) t(i, f, d)"); // a file whose largest value is -0.0
      s.executeUpdate("INSERT INTO zeros VALUES (4, 0.0, 0.0)");
      s.executeUpdate("INSERT INTO zeros VALUES (5, 2.0, 2.0)");
      long before = skipped(server);
      for (String column : List.of("f", "d")) {
        for (String[] filter : new String[][] {{"= 0", "1 3 4"}, {">= 0", "1 3 4 5"}, {"<= 0", "1 2 3 4"},
            {"> 0", "5"}, {"< 0", "2"}, {"= -0.0", "1 3 4"}, {"IN (0, 2)", "1 3 4 5"}, {"BETWEEN 0 AND 1", "1 3 4"},
            {"= 0e0", "1 3 4"}}) {
          String sql = "SELECT id FROM zeros WHERE " + column + " " + filter[0] + " ORDER BY id";
          assertEquals(List.of(filter[1].split(" ")), column(s.executeQuery(sql), 1), sql);
        }
      }
      assertTrue(skipped(server) >= before + 2 * 6, "comparisons with zero still prune: " + (skipped(server) - before));
    }
  }

  @Test
  void aConstantThatIsNoValidDateOrTimestampPrunesNothingAndDuckDbAnswers() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withMetricsPort(0));
        Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE readings (day DATE, ts TIMESTAMP, v INTEGER)");
      s.executeUpdate("INSERT INTO readings VALUES (DATE '2023-01-01', TIMESTAMP '2023-01-01 10:00:00', 1)");
      s.executeUpdate("INSERT INTO readings VALUES (DATE '2023-06-01', TIMESTAMP '2023-06-01 10:00:00', 2)");
      for (String condition : List.of("ts > 'yesterday'", "ts > '2023-13-45'", "ts < '2023-01-01 25:00:00'",
          "day > 'today'", "day = '2023-13-45'", "ts >= '2023-02-30'")) {
        String sql = "SELECT count(*) FROM readings WHERE " + condition;
        // DuckDB's own answer: its conversion error
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).next(), sql);
        assertFalse(e.getMessage().contains("internal error"), sql + " -> " + e.getMessage());
        assertTrue(e.getMessage().contains("Conversion Error"), sql + " -> " + e.getMessage());
        assertEquals(List.of("1"), column(s.executeQuery("SELECT 1"), 1), "the connection keeps serving");
      }
      // texts DuckDB reads and Iceberg does not: no pruning, DuckDB's result
      assertEquals(List.of("2"), column(s.executeQuery("SELECT count(*) FROM readings WHERE ts > 'epoch'"), 1));
      assertEquals(List.of("2"), column(s.executeQuery("SELECT count(*) FROM readings WHERE day < 'infinity'"), 1));
      long before = skipped(server);
      assertEquals(List.of("1"), column(s.executeQuery("SELECT count(*) FROM readings WHERE day >= '2023-03-01'"), 1));
      assertEquals(List.of("1"), column(s.executeQuery(
          "SELECT count(*) FROM readings WHERE ts < '2023-03-01 00:00:00.5'"), 1));
      assertEquals(before + 2, skipped(server), "valid date and timestamp texts still prune");
    }
  }

  private static long skipped(RunningServer server) throws Exception {
    String body = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().metricsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("tarn_scan_files_total\\{outcome=\"skipped\"} ([0-9.]+)").matcher(body);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }
}
