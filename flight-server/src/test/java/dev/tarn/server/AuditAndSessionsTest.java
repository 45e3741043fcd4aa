package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.server.ServerConfig.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit records, query history and session administration on a server with a password, through
 * the stock Flight SQL JDBC driver.
 */
class AuditAndSessionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Runs for minutes unless something stops it. */
  private static final String LONG_QUERY = "SELECT count(*) FROM range(1000000) a, range(1000000) b";

  private static Properties login() {
    Properties properties = new Properties();
    properties.setProperty("user", "admin");
    properties.setProperty("password", "s3cret");
    return properties;
  }

  private static Connection connect(TarnServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), login());
  }

  private static TarnServer start(Path warehouse) throws IOException {
    return TarnServer.start(ServerConfig.local(warehouse).withCredentials(new Credentials("admin", "s3cret")));
  }

  /** The rows of a statement, each a column name → value map. */
  private static List<Map<String, Object>> rows(Connection connection, String sql) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          // the driver reads zoned timestamps with getTimestamp, not getObject
          int type = rs.getMetaData().getColumnType(i);
          boolean timestamp = type == java.sql.Types.TIMESTAMP || type == java.sql.Types.TIMESTAMP_WITH_TIMEZONE;
          row.put(rs.getMetaData().getColumnLabel(i), timestamp ? rs.getTimestamp(i) : rs.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static List<JsonNode> auditLines(Path warehouse) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(warehouse.resolve("audit"))) {
      for (Path file : files.sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          lines.add(JSON.readTree(line));
        }
      }
    }
    return lines;
  }

  @Test
  void everyStatementLeavesExactlyOneRecordInTheFileAndTheRecordsSurviveARestart(@TempDir Path warehouse)
      throws Exception {
    List<String> statements = List.of(
        "SELECT 1 AS one",
        "CREATE TABLE orders (id INTEGER, note VARCHAR)",
        "INSERT INTO orders VALUES (1, 'ä'), (2, '🦆')",
        "SELECT * FROM orders",
        "SELECT * FROM no_such_table",                  // fails
        "COPY orders TO 'stolen.csv'",                  // refused by the policy
        "SHOW BRANCHES",
        "BEGIN",
        "INSERT INTO orders VALUES (3, 'x')",
        "COMMIT",
        "SELECT 'x' || repeat('y', 10000) AS long_text");
    String sessionId;
    try (TarnServer server = start(warehouse); Connection c = connect(server)) {
      for (String sql : statements) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
          if (s.getResultSet() != null) {
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                // read it all: a query's record is made when its stream ends
              }
            }
          }
        } catch (SQLException expected) {
          assertTrue(sql.contains("no_such_table") || sql.startsWith("COPY"), sql + ": " + expected.getMessage());
        }
      }
      // the newest record is this connection's last statement (SHOW AUDIT itself is recorded after it ran)
      List<Map<String, Object>> newest = rows(c, "SHOW AUDIT LIMIT 1");
      assertEquals(1, newest.size());
      sessionId = (String) newest.get(0).get("session_id");
      // a digest: the session's own id is its bearer token's or cookie's, never shown
      assertTrue(sessionId.matches("s-[0-9a-f]{16}"), sessionId);

      List<Map<String, Object>> ofSession = rows(c, "SHOW AUDIT").stream()
          .filter(r -> sessionId.equals(r.get("session_id"))).toList();
      // statements plus the first SHOW AUDIT
      assertEquals(statements.size() + 1, ofSession.size(), ofSession.toString());
      assertEquals("SHOW AUDIT LIMIT 1", ofSession.get(0).get("statement")); // newest first
      List<Map<String, Object>> history = rows(c, "SHOW QUERY HISTORY LIMIT 5");
      assertEquals(5, history.size());
      assertEquals("SHOW AUDIT", history.get(0).get("statement"));
    }

    List<JsonNode> records = auditLines(warehouse).stream()
        .filter(r -> sessionId.equals(r.path("session_id").asText())).toList();
    assertEquals(statements.size() + 3, records.size(), records.toString()); // and SHOW AUDIT, SHOW QUERY HISTORY
    Map<String, JsonNode> byText = new HashMap<>();
    for (JsonNode r : records) {
      assertNull(byText.put(r.path("statement").asText(), r), "one record per statement: " + r);
      assertEquals("admin", r.path("user").asText());
      assertTrue(r.path("client_address").asText().startsWith("127.0.0.1:"), r.toString());
      assertTrue(r.path("query_id").asText().startsWith("q-"), r.toString());
    }
    JsonNode insert = byText.get(statements.get(2));
    assertEquals("ok", insert.path("outcome").asText());
    assertEquals("dml", insert.path("kind").asText());
    assertEquals(2, insert.path("rows").asLong());
    assertEquals("main", insert.path("reference").asText());
    assertTrue(insert.path("commit").asText().length() >= 16, insert.toString());
    JsonNode select = byText.get("SELECT * FROM orders");
    assertEquals(2, select.path("rows").asLong());
    assertTrue(select.path("bytes").asLong() > 0, select.toString());
    assertTrue(select.path("commit").isNull(), select.toString());
    JsonNode failed = byText.get("SELECT * FROM no_such_table");
    assertEquals("error", failed.path("outcome").asText());
    assertTrue(failed.path("error").asText().contains("no_such_table"), failed.toString());
    JsonNode refused = byText.get("COPY orders TO 'stolen.csv'");
    assertEquals("refused", refused.path("outcome").asText());
    assertTrue(refused.path("error_class").asText().contains("PERMISSION_DENIED"), refused.toString());
    JsonNode commit = byText.get("COMMIT");
    assertEquals("transaction", commit.path("kind").asText());
    assertTrue(commit.path("commit").asText().length() >= 16, commit.toString());
    // inside the transaction the session was on its private branch; the record says so
    assertTrue(byText.get("INSERT INTO orders VALUES (3, 'x')").path("reference").asText().startsWith("tarn_tx_"));

    // a restart reads the records back
    try (TarnServer server = start(warehouse); Connection c = connect(server)) {
      long before = rows(c, "SHOW AUDIT").stream().filter(r -> sessionId.equals(r.get("session_id"))).count();
      assertEquals(statements.size() + 3, before);
    }
  }

  @Test
  void killSessionEndsAnotherClientsRunningQueryAndItsClientIsToldWhy() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret")));
        Connection victim = server.connect(login());
        Connection admin = server.connect(login())) {
      try (Statement s = victim.createStatement()) {
        s.execute("BEGIN");
        s.execute("CREATE TABLE kept (id INTEGER)");
      }
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
        try {
          return rows(victim, LONG_QUERY);
        } catch (SQLException e) {
          return e;
        }
      });
      Map<String, Object> query = awaitRunning(admin, LONG_QUERY);
      String sessionId = (String) query.get("session_id");
      Map<String, Object> session = rows(admin, "SHOW SESSIONS").stream()
          .filter(r -> sessionId.equals(r.get("session_id"))).findFirst().orElseThrow();
      assertEquals(true, session.get("in_transaction"));
      assertEquals(1L, ((Number) session.get("running_statements")).longValue());
      assertEquals("admin", session.get("user"));
      assertTrue(((String) session.get("client_address")).startsWith("127.0.0.1:"), session.toString());
      assertEquals(200L, ((Number) session.get("max_sessions_per_user")).longValue());

      List<Map<String, Object>> killed = rows(admin, "KILL SESSION '" + sessionId + "'");
      assertEquals(1L, ((Number) killed.get(0).get("statements_cancelled")).longValue());
      assertEquals(true, killed.get(0).get("transaction_rolled_back"));

      Object outcome = running.get(60, TimeUnit.SECONDS);
      assertTrue(outcome instanceof SQLException, String.valueOf(outcome));
      String message = ((SQLException) outcome).getMessage();
      assertTrue(message.contains("session " + sessionId + " was ended by admin with KILL SESSION"), message);
      // the ended session's client gets the same answer on its next call, instead of a fresh session
      SQLException next = assertThrows(SQLException.class, () -> rows(victim, "SELECT 1"));
      assertTrue(next.getMessage().contains("was ended by admin"), next.getMessage());

      assertTrue(rows(admin, "SHOW SESSIONS").stream().noneMatch(r -> sessionId.equals(r.get("session_id"))));
      assertTrue(rows(admin, "SHOW QUERIES").stream().noneMatch(r -> sessionId.equals(r.get("session_id"))));
      // its transaction was rolled back: the table it created is nowhere
      SQLException gone = assertThrows(SQLException.class, () -> rows(admin, "SELECT * FROM kept"));
      assertTrue(gone.getMessage().contains("kept"), gone.getMessage());
      Map<String, Object> record = rows(admin, "SHOW AUDIT").stream()
          .filter(r -> LONG_QUERY.equals(r.get("statement"))).findFirst().orElseThrow();
      assertEquals("cancelled", record.get("outcome"));
      assertTrue(((String) record.get("error")).contains("KILL SESSION"), record.toString());

      SQLException unknown = assertThrows(SQLException.class, () -> rows(admin, "KILL SESSION 'nope'"));
      assertTrue(unknown.getMessage().contains("no session has the id 'nope'"), unknown.getMessage());
      assertEquals(1, rows(admin, "SELECT 1").size()); // the admin's connection goes on
    }
  }

  @Test
  void killQueryCancelsOneStatementAndItsConnectionGoesOn() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret")));
        Connection victim = server.connect(login());
        Connection admin = server.connect(login())) {
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
        try {
          return rows(victim, LONG_QUERY);
        } catch (SQLException e) {
          return e;
        }
      });
      Map<String, Object> query = awaitRunning(admin, LONG_QUERY);
      String queryId = (String) query.get("query_id");
      assertEquals("admin", query.get("user"));
      assertNotNull(query.get("started_at"));
      assertEquals(1, rows(admin, "KILL QUERY '" + queryId + "'").size());

      Object outcome = running.get(60, TimeUnit.SECONDS);
      assertTrue(outcome instanceof SQLException, String.valueOf(outcome));
      String message = ((SQLException) outcome).getMessage();
      assertTrue(message.contains("statement " + queryId + " was killed by admin with KILL QUERY"), message);
      assertEquals(7L, ((Number) rows(victim, "SELECT 7 AS x").get(0).get("x")).longValue());

      SQLException finished = assertThrows(SQLException.class, () -> rows(admin, "KILL QUERY '" + queryId + "'"));
      assertTrue(finished.getMessage().contains("no running statement has the id"), finished.getMessage());
    }
  }

  /** Waits until SHOW QUERIES lists the statement, and returns its row. */
  private static Map<String, Object> awaitRunning(Connection admin, String sql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      for (Map<String, Object> row : rows(admin, "SHOW QUERIES")) {
        if (sql.equals(row.get("statement"))) {
          return row;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(sql + " never showed up in SHOW QUERIES");
  }

  @Test
  void aBadLimitIsNamed() throws Exception {
    try (RunningServer server = RunningServer.start(); Connection c = server.connect()) {
      SQLException bad = assertThrows(SQLException.class, () -> rows(c, "SHOW AUDIT LIMIT 0"));
      assertTrue(bad.getMessage().contains("SHOW AUDIT LIMIT must be a positive integer"), bad.getMessage());
      // on an open loopback server the one implicit admin sees everything
      assertFalse(rows(c, "SHOW AUDIT").isEmpty());
    }
  }

  @Test
  void aMisquotedPasswordNeverReachesTheAuditThroughTheParsersError(@TempDir Path warehouse) throws Exception {
    // Tarn's parser refuses these, and its error quotes the token it stopped at: the password
    List<String> misquoted = List.of(
        "ALTER USER ana PASSWORD \"quoted-Secret-1\"",
        "ALTER USER ana PASSWORD $$dollar-Secret-2$$",
        "ALTER USER ana PASSWORD E'escape-Secret-3'",
        "CREATE USER bob PASSWORD unquoted_Secret_4");
    try (TarnServer server = start(warehouse); Connection c = connect(server); Statement s = c.createStatement()) {
      for (String statement : misquoted) {
        assertThrows(SQLException.class, () -> s.execute(statement));
      }
      String audit = rows(c, "SHOW AUDIT").toString() + rows(c, "SHOW QUERY HISTORY");
      assertTrue(audit.contains("ALTER USER ana PASSWORD '***'"), audit);
      for (String secret : List.of("quoted-Secret-1", "dollar-Secret-2", "escape-Secret-3", "unquoted_Secret_4")) {
        assertFalse(audit.contains(secret), audit);
        try (var files = Files.walk(warehouse)) {
          for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).toList()) {
            assertFalse(Files.readString(file).contains(secret), file.toString());
          }
        }
      }
    }
  }

  @Test
  void passwordsNeverReachAuditRecordsOrTheirFile(@TempDir Path warehouse) throws Exception {
    try (TarnServer server = start(warehouse); Connection c = connect(server); Statement s = c.createStatement()) {
      s.execute("CREATE USER ana PASSWORD 'first-Secret-1'");
      s.execute("ALTER USER ana PASSWORD 'second-Secret-2'");
      assertThrows(SQLException.class, () -> s.execute("CREATE USER bob PASSWORD 'third-Secret-3' NONSENSE"));
      String audit = rows(c, "SHOW AUDIT").toString() + rows(c, "SHOW QUERY HISTORY");
      assertTrue(audit.contains("CREATE USER ana PASSWORD '***'"), audit);
      for (String secret : List.of("first-Secret-1", "second-Secret-2", "third-Secret-3")) {
        assertFalse(audit.contains(secret), audit);
        try (var files = Files.walk(warehouse)) {
          for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jsonl")).toList()) {
            assertFalse(Files.readString(file).contains(secret), file.toString());
          }
        }
      }
    }
  }
}
