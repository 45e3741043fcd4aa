package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.Credentials;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Iceberg's own Java REST client against a real server's {@code --iceberg-rest-port}: an engine lists,
 * loads, creates and appends on a branch, and Tarn's SQL sees the rows and the commit; tags, wrong
 * credentials and missing privileges are refused with Iceberg's error types.
 */
class IcebergRestCatalogTest {
  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "root-password";
  private static final String PASSWORD = "team-password";
  private static RunningServer server;
  private static String restUri;

  @BeforeAll
  static void start() throws Exception {
    server = RunningServer.start(c -> c.withCredentials(new Credentials(ADMIN, ADMIN_PASSWORD)));
    server.server().serveIcebergRest(0);
    restUri = "http://127.0.0.1:" + server.server().icebergRestPort();
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE SCHEMA shop");
      s.execute("CREATE TABLE shop.orders AS SELECT * FROM (VALUES (1, 'apple'), (2, 'pear')) t(id, item)");
      s.execute("CREATE BRANCH dev FROM main");
      s.execute("CREATE TAG v1 FROM main");
      s.execute("CREATE ROLE readers");
      s.execute("GRANT READ ON ALL BRANCHES TO ROLE readers");
      s.execute("CREATE USER reader PASSWORD '" + PASSWORD + "' IN ROLE readers");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return server.connect(p);
  }

  private static RESTCatalog catalog(String warehouse, String authKey, String authValue) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", restUri);
    props.put("warehouse", warehouse);
    props.put(authKey, authValue);
    // a local warehouse needs no Hadoop: the client reads and writes files as Tarn does
    props.put("io-impl", "dev.tarn.catalog.iceberg.LocalFileIO");
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize("tarn", props);
    return catalog;
  }

  private static List<String> rows(String user, String password, String sql) throws SQLException {
    try (Connection c = connect(user, password); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2));
      }
      return out;
    }
  }

  /** A Parquet data file with the table's field ids, written where the table's files go. */
  private static DataFile writeRows(Table table, Object[]... values) throws IOException {
    String location = table.locationProvider().newDataLocation("rest-" + System.nanoTime() + ".parquet");
    DataWriter<Record> writer = Parquet.writeData(table.io().newOutputFile(location))
        .schema(table.schema())
        .createWriterFunc(GenericParquetWriter::create)
        .withSpec(table.spec())
        .overwrite()
        .build();
    try (writer) {
      for (Object[] row : values) {
        GenericRecord record = GenericRecord.create(table.schema());
        for (int i = 0; i < row.length; i++) {
          record.set(i, row[i]);
        }
        writer.write(record);
      }
    }
    return writer.toDataFile();
  }

  @Test
  void anEngineAppendsToABranchAsOneTarnCommit() throws Exception {
    try (RESTCatalog catalog = catalog("dev", "credential", ADMIN + ":" + ADMIN_PASSWORD)) {
      assertTrue(catalog.listNamespaces().contains(Namespace.of("shop")));
      assertEquals(List.of(TableIdentifier.of("shop", "orders")), catalog.listTables(Namespace.of("shop")));
      Table orders = catalog.loadTable(TableIdentifier.of("shop", "orders"));
      orders.newAppend().appendFile(writeRows(orders, new Object[] {3, "plum"})).commit();
    }
    assertEquals(List.of("1|apple", "2|pear", "3|plum"),
        rows(ADMIN, ADMIN_PASSWORD, "SELECT id, item FROM shop.orders AT BRANCH dev ORDER BY id"));
    assertEquals(List.of("1|apple", "2|pear"),
        rows(ADMIN, ADMIN_PASSWORD, "SELECT id, item FROM shop.orders ORDER BY id"));
    try (Connection c = connect(ADMIN, ADMIN_PASSWORD); Statement s = c.createStatement();
        ResultSet log = s.executeQuery("SHOW LOG dev LIMIT 1")) {
      assertTrue(log.next());
      assertEquals("admin via Iceberg Java", log.getString("author"));
      assertTrue(log.getString("message").startsWith("Iceberg Java append shop.orders"), log.getString("message"));
    }
  }

  @Test
  void anEngineCreatesATableTarnQueries() throws Exception {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE BRANCH made FROM main");
    }
    try (RESTCatalog catalog = catalog("made", "credential", ADMIN + ":" + ADMIN_PASSWORD)) {
      org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(
          org.apache.iceberg.types.Types.NestedField.required(1, "k", org.apache.iceberg.types.Types.LongType.get()),
          org.apache.iceberg.types.Types.NestedField.optional(2, "v", org.apache.iceberg.types.Types.StringType.get()));
      Table created = catalog.createTable(TableIdentifier.of("shop", "made_here"), schema);
      created.newAppend().appendFile(writeRows(created, new Object[] {7L, "seven"})).commit();
    }
    assertEquals(List.of("7|seven"),
        rows(ADMIN, ADMIN_PASSWORD, "SELECT k, v FROM shop.made_here AT BRANCH made"));
  }

  @Test
  void aTagIsReadOnly() throws Exception {
    try (RESTCatalog catalog = catalog("v1", "credential", ADMIN + ":" + ADMIN_PASSWORD)) {
      Table orders = catalog.loadTable(TableIdentifier.of("shop", "orders"));
      DataFile file = writeRows(orders, new Object[] {9, "fig"});
      ForbiddenException refused = assertThrows(ForbiddenException.class,
          () -> orders.newAppend().appendFile(file).commit());
      assertTrue(refused.getMessage().contains("tag v1 is read-only"), refused.getMessage());
      NoSuchTableException missing = assertThrows(NoSuchTableException.class,
          () -> catalog.loadTable(TableIdentifier.of("shop", "nope")));
      assertTrue(missing.getMessage().contains("shop.nope"), missing.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreRefused() {
    NotAuthorizedException badPassword = assertThrows(NotAuthorizedException.class,
        () -> catalog("main", "credential", ADMIN + ":wrong").close());
    assertTrue(badPassword.getMessage().contains("wrong user name or password"), badPassword.getMessage());
    NotAuthorizedException badToken = assertThrows(NotAuthorizedException.class,
        () -> catalog("main", "token", "login.not-a-token").close());
    assertTrue(badToken.getMessage().contains("expired or is unknown"), badToken.getMessage());
  }

  @Test
  void aMissingPrivilegeIsNamed() throws Exception {
    try (RESTCatalog catalog = catalog("dev", "credential", "reader:" + PASSWORD)) {
      Table orders = catalog.loadTable(TableIdentifier.of("shop", "orders"));
      DataFile file = writeRows(orders, new Object[] {4, "kiwi"});
      ForbiddenException refused = assertThrows(ForbiddenException.class,
          () -> orders.newAppend().appendFile(file).commit());
      assertTrue(refused.getMessage().contains("lacks WRITE on branch dev"), refused.getMessage());
    }
    // Every request leaves an audit record, as every Flight SQL statement does; the refusal is one.
    try (Connection c = connect(ADMIN, ADMIN_PASSWORD); Statement s = c.createStatement();
        ResultSet audit = s.executeQuery("SHOW AUDIT")) {
      List<String> seen = new java.util.ArrayList<>();
      while (audit.next()) {
        if ("iceberg_rest".equals(audit.getString("kind")) && "reader".equals(audit.getString("user"))) {
          seen.add(audit.getString("outcome") + " " + audit.getString("reference") + " " + audit.getString("statement"));
        }
      }
      assertTrue(seen.stream().anyMatch(r -> r.startsWith("refused dev POST /v1/dev/namespaces/shop/tables/orders")
          && r.endsWith("(Iceberg Java)")), seen.toString());
      assertTrue(seen.stream().anyMatch(r -> r.startsWith("ok dev GET /v1/dev/namespaces/shop/tables/orders")),
          seen.toString());
    }
  }
}
