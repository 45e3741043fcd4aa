package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.core.auth.LoginLimits;
import dev.tarn.server.ServerConfig.Credentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile or careless engine against a real server's Iceberg REST catalog, through raw HTTP and
 * Iceberg's own Java client: every attack gets a clear error (or a refusal), nothing lands that
 * Tarn's rules forbid, and afterwards both doors (REST and Flight SQL) keep serving.
 */
class IcebergRestAttackTest {
  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "root-password";
  private static final String READER_PASSWORD = "reader-password";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RunningServer server;
  private static String restUri;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(c -> c.withCredentials(new Credentials(ADMIN, ADMIN_PASSWORD)));
    server.server().serveIcebergRest(0);
    restUri = "http://127.0.0.1:" + server.server().icebergRestPort();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    sql("CREATE SCHEMA shop");
    sql("CREATE TABLE shop.orders AS SELECT * FROM (VALUES (1, 'apple'), (2, 'pear')) t(id, item)");
    sql("CREATE ROLE readers");
    sql("GRANT READ ON ALL BRANCHES TO ROLE readers");
    sql("CREATE USER reader PASSWORD '" + READER_PASSWORD + "' IN ROLE readers");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** After every attack both doors still answer. */
  @AfterEach
  void bothDoorsKeepServing() throws Exception {
    HttpResponse<String> config = send("GET", "/v1/config?warehouse=main", adminToken(), null);
    assertEquals(200, config.statusCode(), config.body());
    assertEquals(List.of("1"), column("SELECT 1"));
  }

  // ---- helpers ----

  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ADMIN);
    p.setProperty("password", ADMIN_PASSWORD);
    return server.connect(p);
  }

  private static void sql(String statement) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static List<String> column(String query) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(restUri + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> exchange(String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(restUri + "/v1/oauth/tokens"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(String user, String password) throws Exception {
    HttpResponse<String> answer = exchange("grant_type=client_credentials&client_id="
        + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&client_secret="
        + URLEncoder.encode(password, StandardCharsets.UTF_8));
    assertEquals(200, answer.statusCode(), answer.body());
    return JSON.readTree(answer.body()).get("access_token").asText();
  }

  private static String adminToken() throws Exception {
    return token(ADMIN, ADMIN_PASSWORD);
  }

  private static RESTCatalog catalog(String warehouse) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", restUri);
    props.put("warehouse", warehouse);
    props.put("credential", ADMIN + ":" + ADMIN_PASSWORD);
    props.put("io-impl", "dev.tarn.catalog.iceberg.LocalFileIO");
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize("attacker", props);
    return catalog;
  }

  private static String errorMessage(HttpResponse<String> answer) throws IOException {
    return JSON.readTree(answer.body()).path("error").path("message").asText(answer.body());
  }

  // ---- schema changes ----

  /**
   * Tarn checks column names when a table is created (SQL or an engine's create): a name with a path
   * separator, {@code ..} or a control character is refused, as names become folder names. An
   * engine's later schema change must meet the same rule, or it smuggles in what a create may not.
   */
  @Test
  void aSchemaChangeCannotBringAColumnNameACreateMayNot() throws Exception {
    sql("CREATE BRANCH bad_columns FROM main");
    try (RESTCatalog catalog = catalog("bad_columns")) {
      Table orders = catalog.loadTable(TableIdentifier.of("shop", "orders"));
      for (String name : List.of("a/b", "a\\b", "x\u0001y")) {
        BadRequestException refused = assertThrows(BadRequestException.class,
            () -> orders.updateSchema().addColumn(name, Types.StringType.get()).commit(),
            "column " + name + " was accepted");
        assertTrue(refused.getMessage().contains("column name"), refused.getMessage());
        orders.refresh();
      }
    }
    assertEquals(List.of("1", "2"), column("SELECT id FROM shop.orders AT BRANCH bad_columns ORDER BY id"));
  }

  // ---- slow and large requests ----

  /**
   * Clients that open a request and never finish it (slowloris) must not take every worker: the
   * pool has 8 threads, and a well-behaved engine still gets its answer.
   */
  @Test
  void slowClientsDoNotStarveOthers() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket socket = new Socket("127.0.0.1", server.server().icebergRestPort());
        OutputStream out = socket.getOutputStream();
        if (i % 2 == 0) {
          // headers never finished
          out.write("GET /v1/config HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        } else {
          // a body promised and never sent
          out.write(("POST /v1/main/namespaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        slow.add(socket);
      }
      Thread.sleep(500);
      long started = System.nanoTime();
      HttpResponse<String> config = http.send(HttpRequest.newBuilder(URI.create(restUri + "/v1/oauth/tokens"))
          .timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + ADMIN
              + "&client_secret=" + ADMIN_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      assertEquals(200, config.statusCode(), config.body());
      assertTrue(seconds < 10, "a well-behaved request waited " + seconds + " s behind 20 slow clients");
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedByName() throws Exception {
    String huge = "{\"namespace\":[\"" + "x".repeat(33 << 20) + "\"]}";
    HttpResponse<String> answer = send("POST", "/v1/main/namespaces", adminToken(), huge);
    assertEquals(413, answer.statusCode());
    assertTrue(answer.body().contains("32 MiB"), answer.body());
  }

  // ---- credentials ----

  @Test
  void malformedCredentialsAreRefusedWith401() throws Exception {
    String path = "/v1/main/namespaces";
    assertEquals(401, send("GET", path, null, null).statusCode());
    for (String header : List.of("Basic YWRtaW46cm9vdC1wYXNzd29yZA==", "Bearer", "Bearer ", "bearer x",
        "Bearer login.", "Bearer tarn_", "Bearer " + "a".repeat(7000))) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(restUri + path))
          .header("Authorization", header).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, answer.statusCode(), header + ": " + answer.body());
    }
  }

  @Test
  void aWrongGrantOrAHugeClientIdGetsAnOAuthError() throws Exception {
    HttpResponse<String> password = exchange("grant_type=password&username=admin&password=" + ADMIN_PASSWORD);
    assertEquals(400, password.statusCode(), password.body());
    assertEquals("unsupported_grant_type", JSON.readTree(password.body()).get("error").asText());
    HttpResponse<String> none = exchange("");
    assertEquals(400, none.statusCode(), none.body());
    HttpResponse<String> unicode = exchange("grant_type=client_credentials&client_id="
        + URLEncoder.encode("\u0000\ud83e\udd86\u202e" + "é".repeat(1000), StandardCharsets.UTF_8)
        + "&client_secret=x");
    assertEquals(401, unicode.statusCode(), unicode.body());
    assertEquals("invalid_client", JSON.readTree(unicode.body()).get("error").asText());
    HttpResponse<String> broken = exchange("grant_type=client_credentials&client_id=%zz&client_secret=x");
    assertEquals(400, broken.statusCode(), broken.body());
  }

  @Test
  void aDroppedUsersLoginTokenAndAPasswordChangeEndAccess() throws Exception {
    sql("CREATE USER shortlived PASSWORD 'first-password' IN ROLE readers");
    String before = token("shortlived", "first-password");
    assertEquals(200, send("GET", "/v1/main/namespaces", before, null).statusCode());
    sql("ALTER USER shortlived PASSWORD 'second-password'");
    assertEquals(401, send("GET", "/v1/main/namespaces", before, null).statusCode());
    String after = token("shortlived", "second-password");
    sql("DROP USER shortlived");
    HttpResponse<String> dropped = send("GET", "/v1/main/namespaces", after, null);
    assertEquals(401, dropped.statusCode(), dropped.body());
  }

  // ---- privileges and prefixes ----

  @Test
  void aReaderCannotWriteThroughAnyRoute() throws Exception {
    String reader = token("reader", READER_PASSWORD);
    List<HttpResponse<String>> answers = List.of(
        send("POST", "/v1/main/namespaces", reader, "{\"namespace\":[\"sneaky\"]}"),
        send("DELETE", "/v1/main/namespaces/shop", reader, null),
        send("DELETE", "/v1/main/namespaces/shop/tables/orders", reader, null),
        send("POST", "/v1/main/namespaces/shop/tables", reader,
            "{\"name\":\"t\",\"schema\":{\"type\":\"struct\",\"schema-id\":0,\"fields\":[{\"id\":1,\"name\":\"a\","
                + "\"required\":false,\"type\":\"int\"}]}}"),
        send("POST", "/v1/main/transactions/commit", reader,
            "{\"table-changes\":[{\"identifier\":{\"namespace\":[\"shop\"],\"name\":\"orders\"},"
                + "\"requirements\":[],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"a\":\"b\"}}]}]}"));
    for (HttpResponse<String> answer : answers) {
      assertEquals(403, answer.statusCode(), answer.request().method() + " " + answer.request().uri() + ": "
          + answer.body());
    }
    assertEquals(List.of("1", "2"), column("SELECT id FROM shop.orders ORDER BY id"));
  }

  @Test
  void onlyBranchAndTagNamesArePrefixes() throws Exception {
    String hash;
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet log = s.executeQuery("SHOW LOG main")) {
      assertTrue(log.next());
      hash = log.getString("commit_hash");
    }
    for (String prefix : List.of(hash, "main@" + hash, "main%40" + hash, "tarn_run_x", "tarn_tx_x", "%2E%2E",
        "nope")) {
      HttpResponse<String> answer = send("GET", "/v1/" + prefix + "/namespaces", adminToken(), null);
      assertEquals(404, answer.statusCode(), prefix + ": " + answer.body());
    }
  }

  // ---- names and paths ----

  @Test
  void namespaceNamesFollowTarnsRules() throws Exception {
    String token = adminToken();
    for (String name : List.of("..", "a/b", "temp", "x\\u0001y", "a".repeat(300))) {
      HttpResponse<String> answer = send("POST", "/v1/main/namespaces", token,
          "{\"namespace\":[\"" + name + "\"]}");
      assertEquals(400, answer.statusCode(), name + ": " + answer.body());
      assertTrue(errorMessage(answer).contains("schema name"), answer.body());
    }
    HttpResponse<String> twoLevels = send("POST", "/v1/main/namespaces", token, "{\"namespace\":[\"a\",\"b\"]}");
    assertTrue(twoLevels.statusCode() >= 400 && twoLevels.statusCode() < 500, twoLevels.body());
    for (String path : List.of("/v1/main/namespaces/a%2Fb", "/v1/main/namespaces/%2E%2E/tables/orders",
        "/v1/main/namespaces/shop%1Fx/tables", "/v1/main/namespaces/shop/tables/%2E%2E%2Fcatalog",
        "/v1/main/namespaces/shop/tables/orders/extra")) {
      HttpResponse<String> answer = send("GET", path, token, null);
      assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, path + ": " + answer.body());
    }
  }

  // ---- bodies ----

  @Test
  void malformedBodiesAreBadRequests() throws Exception {
    String token = adminToken();
    String table = "/v1/main/namespaces/shop/tables/orders";
    for (String body : List.of("{", "[]", "null", "{\"requirements\":1,\"updates\":[]}",
        "{\"requirements\":[],\"updates\":[{\"action\":\"no-such-action\"}]}",
        "{\"requirements\":[],\"updates\":[{\"action\":\"add-snapshot\",\"snapshot\":{}}]}",
        "\"" + "[".repeat(100_000))) {
      HttpResponse<String> answer = send("POST", table, token, body);
      assertEquals(400, answer.statusCode(), body.substring(0, Math.min(80, body.length())) + ": " + answer.body());
    }
  }

  @Test
  void aLocationOutsideTheWarehouseIsRefused() throws Exception {
    String token = adminToken();
    String table = "/v1/main/namespaces/shop/tables/orders";
    String tables = server.warehouse().toAbsolutePath().resolve("tables").toString();
    for (String location : List.of("/tmp/elsewhere", tables, tables + "/../catalog", "file:" + tables + "/x",
        server.warehouse().toAbsolutePath().resolve("catalog").toString())) {
      HttpResponse<String> answer = send("POST", table, token,
          "{\"requirements\":[],\"updates\":[{\"action\":\"set-location\",\"location\":\"" + location + "\"}]}");
      assertEquals(400, answer.statusCode(), location + ": " + answer.body());
      assertTrue(errorMessage(answer).contains("not inside the warehouse"), answer.body());
    }
    assertEquals(List.of("1", "2"), column("SELECT id FROM shop.orders ORDER BY id"));
  }

  // ---- concurrency ----

  /** Two engines and a SQL client append to one table at once: every acknowledged append lands. */
  @Test
  void concurrentEngineAndSqlAppendsAllLand() throws Exception {
    sql("CREATE BRANCH race FROM main");
    java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int engine = 0; engine < 2; engine++) {
        int base = 100 + engine * 10;
        done.add(writers.submit(() -> {
          try (RESTCatalog catalog = catalog("race")) {
            for (int i = 0; i < 3; i++) {
              Table orders = catalog.loadTable(TableIdentifier.of("shop", "orders"));
              org.apache.iceberg.data.GenericRecord row = org.apache.iceberg.data.GenericRecord.create(orders.schema());
              row.set(0, base + i);
              row.set(1, "engine");
              String location = orders.locationProvider().newDataLocation("race-" + base + "-" + i + ".parquet");
              org.apache.iceberg.io.DataWriter<org.apache.iceberg.data.Record> writer =
                  org.apache.iceberg.parquet.Parquet.writeData(orders.io().newOutputFile(location))
                      .schema(orders.schema())
                      .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
                      .withSpec(orders.spec()).overwrite().build();
              try (writer) {
                writer.write(row);
              }
              orders.newAppend().appendFile(writer.toDataFile()).commit();
            }
          }
          return null;
        }));
      }
      done.add(writers.submit(() -> {
        try (Connection c = connect(); Statement s = c.createStatement()) {
          s.execute("USE BRANCH race");
          for (int i = 0; i < 3; i++) {
            s.execute("INSERT INTO shop.orders VALUES (" + (200 + i) + ", 'sql')");
          }
        }
        return null;
      }));
      for (java.util.concurrent.Future<?> f : done) {
        f.get(5, java.util.concurrent.TimeUnit.MINUTES);
      }
    } finally {
      writers.shutdownNow();
    }
    assertEquals(List.of("1", "2", "100", "101", "102", "110", "111", "112", "200", "201", "202"),
        column("SELECT id FROM shop.orders AT BRANCH race ORDER BY id"));
  }

  // ---- a separate server for the throttle (it refuses the whole address once hit) ----

  @Test
  void theRestDoorCountsFailedLoginsAndRefusesAfterTheLimit() throws Exception {
    try (RunningServer throttled = RunningServer.start(c -> c.withCredentials(new Credentials(ADMIN, ADMIN_PASSWORD))
        .withLoginLimits(new LoginLimits(3, 30, Duration.ofMinutes(5))))) {
      throttled.server().serveIcebergRest(0);
      URI tokens = URI.create("http://127.0.0.1:" + throttled.server().icebergRestPort() + "/v1/oauth/tokens");
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(tokens)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=admin"
                + "&client_secret=guess" + i)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrong.statusCode(), wrong.body());
      }
      HttpResponse<String> right = http.send(HttpRequest.newBuilder(tokens)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=admin"
              + "&client_secret=" + ADMIN_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(429, right.statusCode(), right.body());
      assertTrue(right.body().contains("--max-failed-logins"), right.body());

      // One count for every door: the guesses at the REST door also close Flight SQL to this address.
      java.util.Properties login = new java.util.Properties();
      login.setProperty("user", ADMIN);
      login.setProperty("password", ADMIN_PASSWORD);
      SQLException flight = assertThrows(SQLException.class,
          () -> java.sql.DriverManager.getConnection(throttled.jdbcUrl(), login).close());
      assertTrue(String.valueOf(flight.getMessage()).contains("--max-failed-logins")
          || String.valueOf(flight.getCause()).contains("--max-failed-logins"), String.valueOf(flight));
    }
  }
}
