package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.Credentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthAndMetricsTest {

  @Test
  void passwordProtectedServerRefusesWrongCredentialsAtConnect() throws SQLException {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("analyst", "s3cret")))) {
      Properties wrong = new Properties();
      wrong.setProperty("user", "analyst");
      wrong.setProperty("password", "guess");
      SQLException e = assertThrows(SQLException.class, () -> server.connect(wrong).close());
      assertTrue(e.getMessage().toLowerCase().contains("wrong user name or password")
          || e.getMessage().toLowerCase().contains("unauthenticated"), e.getMessage());
      assertFalse(e.getMessage().contains("\tat "), e.getMessage());

      // Without credentials the driver makes no call at connect; the first statement is refused.
      SQLException anonymous = assertThrows(SQLException.class, () -> {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
          s.executeQuery("SELECT 1");
        }
      });
      assertFalse(anonymous.getMessage().contains("\tat "), anonymous.getMessage());

      Properties right = new Properties();
      right.setProperty("user", "analyst");
      right.setProperty("password", "s3cret");
      try (Connection c = server.connect(right); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 7")) {
        assertTrue(rs.next());
        assertEquals(7, rs.getInt(1));
      }
    }
  }

  @Test
  void refusesToListenBeyondLoopbackWithoutAPassword(@TempDir Path warehouse) {
    ServerConfig open = ServerConfig.local(warehouse).withHost("0.0.0.0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TarnServer.start(open));
    assertTrue(e.getMessage().contains("without authentication"), e.getMessage());
  }

  @Test
  void prometheusEndpointCountsStatementsAndStreamedRows() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withMetricsPort(0))) {
      try (Connection c = server.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM range(1000)")) {
        while (rs.next()) {
          // drain
        }
        s.executeUpdate("CREATE TABLE metered (x INTEGER)");
      }
      HttpResponse<String> scrape = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().metricsPort() + "/metrics"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      String body = scrape.body();
      assertTrue(body.contains("tarn_statements_total{kind=\"query\",outcome=\"ok\"}"), body);
      assertTrue(body.contains("tarn_statements_total{kind=\"ddl\",outcome=\"ok\"} 1.0"), body);
      assertTrue(body.contains("tarn_rows_streamed_total 1000.0"), body);
      assertTrue(body.contains("tarn_statement_latency_seconds_bucket"), body);
      assertTrue(body.contains("tarn_sessions_active"), body);
    }
  }
}
