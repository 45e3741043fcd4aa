package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelFlightInfoResult;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Flight SQL calls the JDBC driver does not make but ADBC, pyarrow and BI connectors do. */
class NativeFlightSqlClientTest {
  private static RunningServer server;
  private static BufferAllocator allocator;
  private static FlightClient flight;
  private static FlightSqlClient client;

  @BeforeAll
  static void start() {
    server = RunningServer.start();
    allocator = new RootAllocator();
    flight = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", server.port()))
        .intercept(new ClientCookieMiddleware.Factory())
        .build();
    client = new FlightSqlClient(flight);
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    allocator.close();
    server.close();
  }

  private static List<String> strings(FlightInfo info, int column) throws Exception {
    List<String> values = new ArrayList<>();
    try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
      while (stream.next()) {
        for (int row = 0; row < stream.getRoot().getRowCount(); row++) {
          Object value = stream.getRoot().getVector(column).getObject(row);
          values.add(value == null ? null : value.toString());
        }
      }
    }
    return values;
  }

  @Test
  void xdbcTypeInfoListsDuckDbTypes() throws Exception {
    List<String> names = strings(client.getXdbcTypeInfo(), 0);
    assertTrue(names.containsAll(List.of("BIGINT", "VARCHAR", "DECIMAL", "TIMESTAMP", "DATE")), names.toString());
    assertEquals(List.of("BIGINT"), strings(client.getXdbcTypeInfo(java.sql.Types.BIGINT), 0));
  }

  @Test
  void sqlInfoAnswersEveryKeyBiToolsRead() throws Exception {
    FlightInfo info = client.getSqlInfo(SqlInfo.FLIGHT_SQL_SERVER_NAME, SqlInfo.FLIGHT_SQL_SERVER_READ_ONLY,
        SqlInfo.SQL_IDENTIFIER_QUOTE_CHAR, SqlInfo.SQL_KEYWORDS, SqlInfo.SQL_NULL_ORDERING,
        SqlInfo.FLIGHT_SQL_SERVER_CANCEL, SqlInfo.SQL_SUPPORTED_GRAMMAR, SqlInfo.SQL_QUOTED_IDENTIFIER_CASE);
    long rows = 0;
    try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
    }
    assertEquals(8, rows, "one row per requested key");
  }

  @Test
  void keysAreWellFormedAndEmpty() throws Exception {
    var table = org.apache.arrow.flight.sql.util.TableRef.of("main", "public", "nothing");
    assertEquals(List.of(), strings(client.getCrossReference(table, table), 0));
    assertEquals(List.of(), strings(client.getImportedKeys(table), 0));
  }

  /** Reads a result on another thread, as a client waiting for a long query does. */
  private static CompletableFuture<Void> fetchInBackground(FlightInfo info) {
    return CompletableFuture.runAsync(() -> {
      try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
        while (stream.next()) {
          // a cancelled query ends before any batch
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  @Test
  void cancelFlightInfoInterruptsARunningQuery() throws Exception {
    FlightInfo info = client.execute("SELECT count(*) FROM range(100000000000) a");
    CompletableFuture<Void> fetch = fetchInBackground(info);
    Thread.sleep(700);
    long start = System.nanoTime();
    CancelFlightInfoResult result = client.cancelFlightInfo(new CancelFlightInfoRequest(info));
    assertEquals(CancelStatus.CANCELLED, result.getStatus());
    Exception e = assertThrows(Exception.class, () -> fetch.get(5, TimeUnit.SECONDS));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1000);
    assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
  }

  @Test
  @SuppressWarnings("deprecation")
  void legacyCancelActionInterruptsARunningQuery() throws Exception {
    FlightInfo info = client.execute("SELECT count(*) FROM range(100000000000) b");
    CompletableFuture<Void> fetch = fetchInBackground(info);
    Thread.sleep(700);
    assertEquals(org.apache.arrow.flight.sql.CancelResult.CANCELLED, client.cancelQuery(info));
    assertThrows(Exception.class, () -> fetch.get(5, TimeUnit.SECONDS));
  }

  @Test
  void sessionOptionsSelectTheSchemaAndRejectUnknownNames() throws Exception {
    client.executeUpdate("CREATE SCHEMA IF NOT EXISTS opts");
    client.executeUpdate("CREATE OR REPLACE TABLE opts.t AS SELECT 5 AS x");
    SetSessionOptionsResult result = client.setSessionOptions(new SetSessionOptionsRequest(Map.of(
        "schema", SessionOptionValueFactory.makeSessionOptionValue("opts"),
        "no_such_option", SessionOptionValueFactory.makeSessionOptionValue("x"))));
    assertEquals(List.of("no_such_option"), new ArrayList<>(result.getErrors().keySet()));
    assertEquals(List.of("5"), strings(client.execute("SELECT x FROM t"), 0));
    var options = client.getSessionOptions(new GetSessionOptionsRequest()).getSessionOptions();
    assertTrue(options.containsKey("schema"));
    client.setSessionOptions(new SetSessionOptionsRequest(Map.of(
        "schema", SessionOptionValueFactory.makeSessionOptionValue("public"))));
  }

  @Test
  void theCatalogOptionInsideATransactionIsTheBranchItCommitsInto() throws Exception {
    var transaction = client.beginTransaction();
    try {
      client.executeUpdate("CREATE TABLE IF NOT EXISTS tx_catalog (x INTEGER)", transaction);
      var catalog = client.getSessionOptions(new GetSessionOptionsRequest()).getSessionOptions().get("catalog");
      assertEquals("main", catalog.acceptVisitor(new org.apache.arrow.flight.NoOpSessionOptionValueVisitor<String>() {
        @Override
        public String visit(String value) {
          return value;
        }
      }));
    } finally {
      client.rollback(transaction);
    }
  }

  /** Setting the catalog never takes a session out of its open transaction, where writes would escape it. */
  @Test
  void theCatalogOptionCannotLeaveAnOpenTransaction() throws Exception {
    client.executeUpdate("CREATE OR REPLACE TABLE tx_stay (x INTEGER)");
    client.executeUpdate("CREATE BRANCH IF NOT EXISTS tx_elsewhere FROM main");
    var transaction = client.beginTransaction();
    try {
      client.executeUpdate("INSERT INTO tx_stay VALUES (1)", transaction);
      SetSessionOptionsResult moved = client.setSessionOptions(new SetSessionOptionsRequest(Map.of(
          "catalog", SessionOptionValueFactory.makeSessionOptionValue("tx_elsewhere"))));
      assertEquals(List.of("catalog"), new ArrayList<>(moved.getErrors().keySet()), "refused inside the transaction");
      SetSessionOptionsResult same = client.setSessionOptions(new SetSessionOptionsRequest(Map.of(
          "catalog", SessionOptionValueFactory.makeSessionOptionValue("main"))));
      assertTrue(same.getErrors().isEmpty(), "the branch it commits into is where it is already");
      client.executeUpdate("INSERT INTO tx_stay VALUES (2)", transaction);
    } finally {
      client.rollback(transaction);
    }
    assertEquals(List.of("0"), strings(client.execute("SELECT count(*) FROM tx_stay"), 0), "both rows rolled back");
    assertEquals(List.of("0"), strings(client.execute("SELECT count(*) FROM tx_elsewhere.public.tx_stay"), 0),
        "nothing landed on the other branch");
  }

  /**
   * CloseSession ends the caller's own session as a database ends a connection: its transaction
   * rolls back, its running statements stop, its temporary tables go; its next call starts afresh.
   */
  @Test
  void closeSessionRollsBackCancelsAndForgetsTheSession() throws Exception {
    client.executeUpdate("CREATE OR REPLACE TABLE closing (x INTEGER)");
    try (BufferAllocator own = new RootAllocator();
        FlightClient ownFlight = FlightClient.builder(own, Location.forGrpcInsecure("127.0.0.1", server.port()))
            .intercept(new ClientCookieMiddleware.Factory()).build()) {
      FlightSqlClient closer = new FlightSqlClient(ownFlight);
      closer.executeUpdate("CREATE TEMPORARY TABLE scratch AS SELECT 1 AS y");
      closer.executeUpdate("BEGIN");
      closer.executeUpdate("INSERT INTO closing VALUES (1)");
      FlightInfo waiting = closer.execute("SHOW BRANCHES"); // run at once, its rows left unfetched
      FlightInfo running = closer.execute("SELECT count(*) FROM range(100000000000) closed_here");
      CompletableFuture<Void> fetch = CompletableFuture.runAsync(() -> {
        try (FlightStream stream = closer.getStream(running.getEndpoints().get(0).getTicket())) {
          while (stream.next()) {
            // ends when the session does
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (strings(client.execute("SHOW QUERIES"), 7).stream().noneMatch(q -> q.contains("closed_here"))
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      var result = closer.closeSession(new CloseSessionRequest());
      assertEquals(CloseSessionResult.Status.CLOSED, result.getStatus());
      Exception stopped = assertThrows(Exception.class, () -> fetch.get(5, TimeUnit.SECONDS));
      assertTrue(stopped.getMessage().contains("closed by its client"), stopped.getMessage());

      assertEquals(List.of("0"), strings(client.execute("SELECT count(*) FROM closing"), 0), "rolled back");
      FlightRuntimeException released = assertThrows(FlightRuntimeException.class, () -> {
        try (FlightStream stream = closer.getStream(waiting.getEndpoints().get(0).getTicket())) {
          stream.next();
        }
      });
      assertTrue(released.getMessage().contains("unknown or expired result handle"), released.getMessage());
      // the same cookie goes on in a new session: out of the transaction, without the temporary table
      closer.executeUpdate("INSERT INTO closing VALUES (2)");
      assertEquals(List.of("1"), strings(client.execute("SELECT count(*) FROM closing"), 0), "committed at once");
      FlightRuntimeException gone = assertThrows(FlightRuntimeException.class, () -> {
        try (FlightStream stream = closer.getStream(closer.execute("SELECT * FROM scratch").getEndpoints().get(0).getTicket())) {
          stream.next();
        }
      });
      assertTrue(gone.getMessage().contains("scratch"), gone.getMessage());
    }
  }

  @Test
  void syntaxErrorsAreInvalidArgumentWithAPosition() {
    FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> client.execute("SELEC 1"));
    assertEquals(FlightStatusCode.INVALID_ARGUMENT, e.status().code());
    assertTrue(e.getMessage().contains("line 1, column 1"), e.getMessage());
  }

  @Test
  void aQuerySentToRunAtOnceAnnouncesItsSchemaInItsStream() throws Exception {
    client.executeUpdate("CREATE OR REPLACE TABLE announced AS SELECT 1::BIGINT AS id, 'a' AS name, 2.5::DOUBLE AS score");
    // No describe ahead of the run: the FlightInfo carries no schema, the stream's first message does.
    FlightInfo info = client.execute("SELECT id, name, score FROM announced WHERE id > 0 /* ü ) ; ( */");
    assertTrue(info.getSchemaOptional().isEmpty(), String.valueOf(info.getSchemaOptional()));
    try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
      assertEquals("Schema<id: Int(64, true), name: Utf8, score: FloatingPoint(DOUBLE)>",
          stream.getSchema().toString());
      assertTrue(stream.next());
      assertEquals(1, stream.getRoot().getRowCount());
      assertEquals("a", stream.getRoot().getVector("name").getObject(0).toString());
    }
    // An empty result still has its columns.
    FlightInfo none = client.execute("SELECT id, name FROM announced WHERE id < 0");
    try (FlightStream stream = client.getStream(none.getEndpoints().get(0).getTicket())) {
      assertEquals(List.of("id", "name"), stream.getSchema().getFields().stream().map(f -> f.getName()).toList());
      while (stream.next()) {
        assertEquals(0, stream.getRoot().getRowCount());
      }
    }
    // A statement without rows still says so with an empty schema (it ran at GetFlightInfo).
    FlightInfo ddl = client.execute("CREATE OR REPLACE TABLE announced_copy AS SELECT * FROM announced");
    assertEquals(0, ddl.getSchemaOptional().orElseThrow().getFields().size());
    assertEquals(List.of("1"), strings(client.execute("SELECT count(*) FROM announced_copy"), 0));
    // Statements that need a description keep it: markers (their count is checked) and commands.
    for (String sql : List.of("SELECT ? + 1 AS later", "SELECT ? + 1 AS next")) { // NEXT: DuckDB's dialect
      FlightInfo marked = client.execute(sql);
      assertEquals(1, marked.getSchemaOptional().orElseThrow().getFields().size(), sql);
      FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> strings(marked, 0));
      assertTrue(e.getMessage().contains("1 parameter(s) but 0 value(s)"), e.getMessage());
    }
    assertTrue(client.execute("SHOW BRANCHES").getSchemaOptional().isPresent());
    // A table that is not there fails when the rows are asked for, and the connection keeps serving.
    FlightRuntimeException missing = assertThrows(FlightRuntimeException.class,
        () -> strings(client.execute("SELECT * FROM no_such_table_here"), 0));
    assertTrue(missing.getMessage().contains("no_such_table_here"), missing.getMessage());
    assertEquals(List.of("2"), strings(client.execute("SELECT 2"), 0));
  }
}
