package dev.tarn.server;

import static dev.tarn.server.Sql.run;
import static dev.tarn.server.Sql.values;
import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.storage.S3Storage;
import dev.tarn.core.ObjectStorage;
import dev.tarn.testing.NessieTestServer;
import dev.tarn.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.FlightSqlClient.ExecuteIngestOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One end-to-end suite through a real server on every combination of catalog and warehouse: the
 * embedded catalog or a real Nessie server ({@code --catalog-uri}), with a local warehouse folder
 * or an S3 bucket (s3proxy). Each test starts a server on a fresh warehouse (and a Nessie
 * repository reset to empty), then drives it through the stock Flight SQL JDBC driver, or raw
 * Flight SQL calls for bulk ingest: SQL writes and reads, branches and merges, transactions,
 * ingest and a pipeline run.
 */
class CatalogBackendsTest {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final String BUCKET = "lake";

  /** Where the catalog is and where the tables' files are. */
  enum Backend {
    EMBEDDED_FOLDER(false, false),
    NESSIE_FOLDER(true, false),
    EMBEDDED_S3(false, true),
    NESSIE_S3(true, true);

    final boolean nessie;
    final boolean s3;

    Backend(boolean nessie, boolean s3) {
      this.nessie = nessie;
      this.s3 = s3;
    }
  }

  @TempDir
  static Path temp;

  private static NessieTestServer nessie;
  private static S3ProxyServer s3proxy;
  private static Path projects;

  @BeforeAll
  static void startServers() throws IOException {
    nessie = NessieTestServer.start();
    s3proxy = S3ProxyServer.start(temp);
    s3proxy.createBucket(BUCKET);
    projects = Files.createDirectories(temp.resolve("projects"));
    copy(REPO.resolve("examples/pipelines/seed"), projects.resolve("seed"));
  }

  @AfterAll
  static void stopServers() {
    if (s3proxy != null) {
      s3proxy.close();
    }
    if (nessie != null) {
      nessie.close();
    }
  }

  /** A Tarn server on a fresh warehouse of {@code backend}; the Nessie repository starts empty. */
  private static TarnServer start(Backend backend) throws IOException {
    Path local = Files.createTempDirectory(temp, backend.name().toLowerCase() + "-");
    ServerConfig config = ServerConfig.local(local).withProjectsRoot(projects);
    if (backend.nessie) {
      nessie.reset();
      config = config.withCatalogUri(nessie.apiV2());
    }
    if (backend.s3) {
      S3Storage.Options s3 = S3Storage.Options.defaults().withEndpoint(s3proxy.endpoint()).withRegion("us-east-1")
          .withPathStyle(true).withCredentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
      String warehouse = "s3://" + BUCKET + "/" + local.getFileName();
      Path catalogDir = Files.createTempDirectory(temp, backend.name().toLowerCase() + "-catalog-");
      config = config.withObjectStorage(new ObjectStorage(warehouse, s3, catalogDir));
    }
    return TarnServer.start(config);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void sqlWritesAndReads(Backend backend) throws Exception {
    try (TarnServer server = start(backend); Connection c = connect(server)) {
      run(c, "CREATE SCHEMA sales");
      run(c, "CREATE TABLE sales.orders (id BIGINT, usd DOUBLE, country VARCHAR)");
      run(c, "INSERT INTO sales.orders VALUES (1, 10.0, 'IT'), (2, 20.0, 'FR'), (3, 5.0, 'US')");
      run(c, "CREATE TABLE sales.by_country AS SELECT country, sum(usd) AS usd FROM sales.orders GROUP BY ALL");
      run(c, "UPDATE sales.orders SET usd = usd * 2 WHERE country = 'IT'");
      run(c, "DELETE FROM sales.orders WHERE country = 'US'");
      run(c, "ALTER TABLE sales.orders ADD COLUMN note VARCHAR");
      run(c, "INSERT INTO sales.orders VALUES (4, 1.5, 'DE', 'new')");
      assertEquals(List.of("1:20.0:", "2:20.0:", "4:1.5:new"),
          values(c, "SELECT id || ':' || usd || ':' || coalesce(note, '') FROM sales.orders ORDER BY id"));
      assertEquals(List.of("FR", "IT", "US"), values(c, "SELECT country FROM sales.by_country ORDER BY country"));
      run(c, "DROP TABLE sales.by_country");
      SQLException gone = assertThrows(SQLException.class, () -> values(c, "SELECT * FROM sales.by_country"));
      assertTrue(gone.getMessage().contains("by_country"), gone.getMessage());
      assertEquals(List.of("3"), values(c, "SELECT count(*) FROM sales.orders"), "the connection keeps serving");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void branchesMergesTagsAndTimeTravel(Backend backend) throws Exception {
    try (TarnServer server = start(backend); Connection c = connect(server)) {
      run(c, "CREATE TABLE t (id BIGINT)");
      run(c, "INSERT INTO t VALUES (1), (2)");
      run(c, "CREATE TAG before_dev");
      run(c, "CREATE BRANCH dev");
      run(c, "USE BRANCH dev");
      run(c, "INSERT INTO t VALUES (3)");
      run(c, "DELETE FROM t WHERE id = 1");
      assertEquals(List.of("2", "3"), values(c, "SELECT id FROM t ORDER BY id"));
      assertEquals(List.of("1", "2"), values(c, "SELECT id FROM main.public.t ORDER BY id"), "main is untouched");
      run(c, "USE BRANCH main");
      run(c, "MERGE BRANCH dev INTO main");
      assertEquals(List.of("2", "3"), values(c, "SELECT id FROM t ORDER BY id"));
      assertEquals(List.of("1", "2"), values(c, "SELECT id FROM t AT TAG before_dev ORDER BY id"));
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG main")) {
        assertTrue(column(rs, "message").size() >= 4, "every write and the merge are commits on main");
      }

      // Both sides rewrite the same file: the merge is refused, naming the table, and changes nothing.
      run(c, "CREATE BRANCH other");
      run(c, "UPDATE t SET id = 20 WHERE id = 2");
      run(c, "UPDATE other.public.t SET id = 200 WHERE id = 2");
      SQLException conflict = assertThrows(SQLException.class, () -> run(c, "MERGE BRANCH other INTO main"));
      assertTrue(conflict.getMessage().contains("t"), conflict.getMessage());
      assertEquals(List.of("3", "20"), values(c, "SELECT id FROM t ORDER BY id"));

      // both sides only appended: the merge unions them, and OPTIMIZE lands over an append
      run(c, "CREATE BRANCH appends");
      run(c, "INSERT INTO appends.public.t VALUES (30)");
      run(c, "INSERT INTO t VALUES (40)");
      run(c, "MERGE BRANCH appends INTO main");
      assertEquals(List.of("3", "20", "30", "40"), values(c, "SELECT id FROM t ORDER BY id"));
      run(c, "OPTIMIZE TABLE t");
      assertEquals(List.of("3", "20", "30", "40"), values(c, "SELECT id FROM t ORDER BY id"));

      // a view made on a branch merges with it, and reads at the commit it is read at
      run(c, "CREATE BRANCH views");
      run(c, "CREATE VIEW views.public.big AS SELECT id FROM t WHERE id > 25");
      assertEquals(List.of("30", "40"), values(c, "SELECT id FROM views.public.big ORDER BY id"));
      run(c, "MERGE BRANCH views INTO main");
      run(c, "INSERT INTO t VALUES (50)");
      assertEquals(List.of("30", "40", "50"), values(c, "SELECT id FROM big ORDER BY id"));
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void transactionsCommitAtOnceAndRollBackToNothing(Backend backend) throws Exception {
    try (TarnServer server = start(backend); Connection c = connect(server); Connection other = connect(server)) {
      run(c, "CREATE TABLE a (id BIGINT)");
      run(c, "CREATE TABLE b (id BIGINT)");
      run(c, "BEGIN");
      run(c, "INSERT INTO a VALUES (1)");
      run(c, "INSERT INTO b VALUES (1)");
      assertEquals(List.of("1"), values(c, "SELECT count(*) FROM a"), "the transaction sees its own rows");
      assertEquals(List.of("0"), values(other, "SELECT count(*) FROM a"), "others do not, before COMMIT");
      run(c, "COMMIT");
      assertEquals(List.of("1:1"), values(other, "SELECT (SELECT count(*) FROM a) || ':' || (SELECT count(*) FROM b)"));

      run(c, "BEGIN");
      run(c, "INSERT INTO a VALUES (2)");
      run(c, "ROLLBACK");
      assertEquals(List.of("1"), values(other, "SELECT count(*) FROM a"), "a rolled-back transaction leaves nothing");
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void bulkIngestCreatesAndAppends(Backend backend) throws Exception {
    try (TarnServer server = start(backend);
        BufferAllocator allocator = new RootAllocator();
        FlightSqlClient client = new FlightSqlClient(FlightClient.builder(allocator,
            Location.forGrpcInsecure("127.0.0.1", server.port()))
            .intercept(new ClientCookieMiddleware.Factory()).build())) {
      TableDefinitionOptions createOrAppend = TableDefinitionOptions.newBuilder()
          .setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
          .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_APPEND).build();
      ExecuteIngestOptions options = new ExecuteIngestOptions("events", createOrAppend, null, null, java.util.Map.of());
      for (int batch = 0; batch < 2; batch++) {
        try (VectorSchemaRoot rows = eventRows(allocator, batch * 1000L, 1000)) {
          assertEquals(1000L, client.executeIngest(rows, options));
        }
      }
      try (Connection c = connect(server)) {
        assertEquals(List.of("2000:1999000"), values(c, "SELECT count(*) || ':' || sum(id) FROM events"));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG main")) {
          assertEquals(2, column(rs, "message").stream().filter(m -> m.contains("events")).count(),
              "each ingest is one commit");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void aPipelineRunsOnABranchAndMergesAsOneCommit(Backend backend) throws Exception {
    try (TarnServer server = start(backend); Connection c = connect(server)) {
      for (String statement : Files.readString(REPO.resolve("examples/pipelines/transactions.sql")).split(";")) {
        if (!statement.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
          run(c, statement);
        }
      }
      run(c, "CREATE BRANCH seed_dev");
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("RUN PIPELINE 'seed' ON BRANCH seed_dev")) {
        assertEquals(List.of("succeeded", "succeeded"), column(rs, "status"));
      }
      assertEquals(List.of("4"), values(c, "SELECT count(*) FROM seed_dev.public.usd_by_country"));
      SQLException absent = assertThrows(SQLException.class, () -> values(c, "SELECT * FROM usd_by_country"));
      assertTrue(absent.getMessage().contains("usd_by_country"), absent.getMessage());
    }
  }

  private static VectorSchemaRoot eventRows(BufferAllocator allocator, long first, int count) {
    BigIntVector id = new BigIntVector("id", allocator);
    VarCharVector name = new VarCharVector("name", allocator);
    id.allocateNew(count);
    name.allocateNew();
    for (int i = 0; i < count; i++) {
      id.set(i, first + i);
      name.setSafe(i, ("événement-" + (first + i)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    VectorSchemaRoot root = VectorSchemaRoot.of(id, name);
    root.setRowCount(count);
    return root;
  }

  private static Connection connect(TarnServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), new Properties());
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
