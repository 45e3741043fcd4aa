package dev.tarn.server;

import dev.tarn.core.ObjectStorage;
import dev.tarn.core.Tarn;
import static dev.tarn.server.Sql.run;
import static dev.tarn.server.Sql.values;
import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.storage.S3Storage;
import dev.tarn.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The warehouse on a real S3-compatible server: s3proxy (filesystem backend) started as its own
 * process on a free loopback port, the whole SQL surface through the stock Flight SQL JDBC driver,
 * then what landed in the bucket and what stayed on the local disk.
 */
class ObjectStorageTest {
  private static final String KEY = S3ProxyServer.ACCESS_KEY;
  private static final String SECRET = S3ProxyServer.SECRET_KEY;
  private static final String BUCKET = "lake";
  private static final String WAREHOUSE = "s3://" + BUCKET + "/warehouse";

  private static S3ProxyServer s3proxy;
  private static URI endpoint;
  private static S3Client s3;

  @TempDir
  static Path temp;

  @BeforeAll
  static void startS3() {
    s3proxy = S3ProxyServer.start(temp);
    endpoint = s3proxy.endpoint();
    s3 = S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
    if (s3proxy != null) {
      s3proxy.close();
    }
  }

  private static S3Storage.Options options(String secret) {
    return S3Storage.Options.defaults().withEndpoint(endpoint).withRegion("us-east-1").withPathStyle(true)
        .withCredentials(KEY, secret);
  }

  private static ServerConfig config(String warehouse, Path cacheDir, Path catalogDir, S3Storage.Options options) {
    return ServerConfig.local(cacheDir)
        .withObjectStorage(new ObjectStorage(warehouse, options, catalogDir));
  }

  @Test
  void theWholeSqlSurfaceRunsOnObjectStorage() throws Exception {
    Path cache = temp.resolve("cache");
    Path catalogDir = temp.resolve("catalog");
    String tagged;
    try (TarnServer server = TarnServer.start(config(WAREHOUSE, cache, catalogDir, options(SECRET)));
        Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), new java.util.Properties())) {
      run(c, "CREATE SCHEMA sales");
      run(c, "CREATE TABLE sales.transactions (id BIGINT, usd DOUBLE, country VARCHAR, eventTime TIMESTAMP)"
          + " PARTITIONED BY (day(eventTime))");
      run(c, "INSERT INTO sales.transactions VALUES (1, 10.0, 'IT', TIMESTAMP '2023-01-05 10:00:00'),"
          + " (2, 20.0, 'FR', TIMESTAMP '2023-01-06 11:00:00'), (3, 5.0, 'US', TIMESTAMP '2023-02-10 09:30:00')");
      assertEquals(List.of("1", "2", "3"), values(c, "SELECT id FROM sales.transactions ORDER BY id"));
      assertEquals(List.of("1"), values(c, "SELECT id FROM sales.transactions WHERE eventTime < TIMESTAMP '2023-01-06'"));

      run(c, "CREATE TABLE sales.by_country AS SELECT country, sum(usd) AS usd FROM sales.transactions GROUP BY ALL");
      assertEquals(List.of("FR", "IT", "US"), values(c, "SELECT country FROM sales.by_country ORDER BY country"));

      run(c, "UPDATE sales.transactions SET usd = usd * 2 WHERE country = 'IT'");
      assertEquals(List.of("20.0"), values(c, "SELECT usd FROM sales.transactions WHERE id = 1"));
      run(c, "DELETE FROM sales.transactions WHERE country = 'US'");
      assertEquals(List.of("1", "2"), values(c, "SELECT id FROM sales.transactions ORDER BY id"));

      run(c, "CREATE TAG v1");
      run(c, "CREATE BRANCH dev");
      run(c, "USE BRANCH dev");
      run(c, "INSERT INTO sales.transactions VALUES (4, 40.0, 'DE', TIMESTAMP '2023-01-20 08:00:00')");
      run(c, "UPDATE sales.transactions SET usd = 0 WHERE id = 2");
      assertEquals(List.of("1", "2", "4"), values(c, "SELECT id FROM sales.transactions ORDER BY id"));
      assertEquals(List.of("1", "2"), values(c, "SELECT id FROM main.sales.transactions ORDER BY id"),
          "main does not see dev's rows before the merge");
      run(c, "USE BRANCH main");
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("MERGE BRANCH dev INTO main")) {
        assertTrue(rs.next());
        assertEquals("main", rs.getString("target"));
      }
      assertEquals(List.of("1:20.0", "2:0.0", "4:40.0"),
          values(c, "SELECT id || ':' || usd FROM sales.transactions ORDER BY id"));
      tagged = "1:20.0,2:20.0";
      assertEquals(tagged, String.join(",",
          values(c, "SELECT id || ':' || usd FROM sales.transactions AT TAG v1 ORDER BY id")));
    }

    // Objects in the bucket: metadata, manifests and Parquet data files under the warehouse prefix.
    List<String> keys = new ArrayList<>();
    for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("warehouse/")).contents()) {
      keys.add(o.key());
    }
    assertTrue(keys.stream().anyMatch(k -> k.startsWith("warehouse/sales/transactions_") && k.endsWith(".metadata.json")),
        "metadata in the bucket: " + keys);
    assertTrue(keys.stream().anyMatch(k -> k.contains("/metadata/") && k.endsWith(".avro")), "manifests: " + keys);
    assertTrue(keys.stream().anyMatch(k -> k.startsWith("warehouse/sales/transactions_") && k.contains("/data/eventTime_day=")
        && k.endsWith(".parquet")), "partitioned data files: " + keys);
    assertTrue(keys.stream().anyMatch(k -> k.startsWith("warehouse/sales/by_country_") && k.endsWith(".parquet")),
        "CTAS data files: " + keys);

    // On the local disk: only the data file cache and the engine's spill folder; no metadata.
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> regular = files.filter(Files::isRegularFile).toList();
      for (Path p : regular) {
        Path rel = cache.relativize(p);
        assertTrue(rel.startsWith(Tarn.CACHE_DIRECTORY) || rel.startsWith("engine"), "unexpected local file " + rel);
        assertFalse(p.toString().endsWith(".json") || p.toString().endsWith(".avro"), "metadata on local disk: " + rel);
      }
      assertTrue(regular.stream().anyMatch(p -> p.toString().endsWith(".parquet")), "data files are cached");
    }

    // A new server with an empty cache reads everything back from the bucket.
    deleteTree(cache);
    try (TarnServer server = TarnServer.start(config(WAREHOUSE, cache, catalogDir, options(SECRET)));
        Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), new java.util.Properties())) {
      assertEquals(List.of("1:20.0", "2:0.0", "4:40.0"),
          values(c, "SELECT id || ':' || usd FROM sales.transactions ORDER BY id"));
      assertEquals(tagged, String.join(",",
          values(c, "SELECT id || ':' || usd FROM sales.transactions AT TAG v1 ORDER BY id")));
      assertEquals(List.of("FR:20.0", "IT:10.0", "US:5.0"),
          values(c, "SELECT country || ':' || usd FROM sales.by_country ORDER BY country"));
      run(c, "DELETE FROM sales.transactions WHERE id = 4");
      assertEquals(List.of("1", "2"), values(c, "SELECT id FROM sales.transactions ORDER BY id"));
    }
  }

  @Test
  void startupErrorsNameTheWarehouseAndWhatToFix() {
    Path cache = temp.resolve("bad-cache");
    Path catalogDir = temp.resolve("bad-catalog");

    CatalogException denied = assertThrows(CatalogException.class,
        () -> TarnServer.start(config(WAREHOUSE, cache, catalogDir, options("wrong-secret"))));
    assertTrue(denied.getMessage().contains(WAREHOUSE) && denied.getMessage().contains("denied")
        && denied.getMessage().contains("credentials"), denied.getMessage());

    CatalogException missing = assertThrows(CatalogException.class,
        () -> TarnServer.start(config("s3://no-such-bucket/wh", cache, catalogDir, options(SECRET))));
    assertTrue(missing.getMessage().contains("s3://no-such-bucket/wh")
        && missing.getMessage().contains("bucket no-such-bucket does not exist"), missing.getMessage());

    URI nobody = URI.create("http://127.0.0.1:" + freePort());
    CatalogException unreachable = assertThrows(CatalogException.class,
        () -> TarnServer.start(config(WAREHOUSE, cache, catalogDir, options(SECRET).withEndpoint(nobody))));
    assertTrue(unreachable.getMessage().contains(WAREHOUSE) && unreachable.getMessage().contains(nobody.toString())
        && unreachable.getMessage().contains("connection refused"), unreachable.getMessage());

    assertFalse(Files.exists(catalogDir), "nothing is created before the object store answered");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
