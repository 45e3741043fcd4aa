package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names are data, never paths: schema, table and column names that could leave their folder are
 * refused through the stock JDBC driver with a message naming the identifier and the rule, nothing
 * appears outside the warehouse, and names in any script keep working.
 */
class IdentifierTest {
  /** Everything the test can see: the warehouse sits four folders deep, so "../" has room to land. */
  @TempDir Path sandbox;

  private Path warehouse;
  private RunningServer server;
  private Connection c;

  @BeforeEach
  void start() throws SQLException, IOException {
    warehouse = Files.createDirectories(sandbox.resolve("a/b/c/warehouse"));
    server = RunningServer.start(config -> ServerConfig.local(warehouse));
    c = server.connect();
    run("CREATE TABLE plain (id BIGINT)");
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  @Test
  void schemaNamesThatClimbOutOfTheWarehouseAreRefused() throws Exception {
    refused("CREATE SCHEMA \"../../../x\"", "schema name \"../../../x\"", "'..'");
    refused("CREATE SCHEMA \"../../../../../../../escape/x\"", "schema name", "'..'");
    refused("CREATE SCHEMA \"..\"", "schema name \"..\"", "'..'");
    refused("CREATE SCHEMA \".\"", "schema name \".\"", "'.'");
    refused("CREATE SCHEMA \"a/b\"", "schema name \"a/b\"", "path separator");
    refused("CREATE SCHEMA \"a\\b\"", "schema name \"a\\b\"", "path separator");
    refused("CREATE TABLE \"../../../x\".t (id BIGINT)", "\"../../../x\"", "'..'");
    assertNothingOutsideTheWarehouse();
  }

  @Test
  void tableNamesThatClimbOrHideAreRefused() throws Exception {
    refused("CREATE TABLE \"../../../y\" (id BIGINT)", "table name \"../../../y\"", "'..'");
    refused("CREATE TABLE \"x/../../y\" (id BIGINT)", "table name \"x/../../y\"", "'..'");
    refused("CREATE TABLE \"x/y\" (id BIGINT)", "table name \"x/y\"", "path separator");
    refused("CREATE TABLE \"sub\\dir\" (id BIGINT)", "table name \"sub\\dir\"", "path separator");
    refused("CREATE TABLE \"../../../z\" AS SELECT 1 AS id", "table name \"../../../z\"", "'..'");
    refused("CREATE TABLE \"tab\there\" (id BIGINT)", "table name \"tab\\u0009here\"", "control characters");
    refused("CREATE TABLE \"new\nline\" (id BIGINT)", "table name \"new\\u000Aline\"", "control characters");
    refused("CREATE TABLE \"bell\u0007\" (id BIGINT)", "table name \"bell\\u0007\"", "control characters");
    refused("CREATE TABLE \"del\u007f\" (id BIGINT)", "table name \"del\\u007F\"", "control characters");
    refused("CREATE TABLE \"sep\u2028\" (id BIGINT)", "table name \"sep\\u2028\"", "separators");
    refused("CREATE TABLE \"" + "x".repeat(201) + "\" (id BIGINT)", "table name", "at most 200 bytes");
    refused("CREATE TABLE \"" + "é".repeat(101) + "\" (id BIGINT)", "table name", "this one has 202");
    // NUL and an empty name: whichever layer refuses them, they are refused
    refusedSomehow("CREATE TABLE \"nul\u0000\" (id BIGINT)");
    refusedSomehow("CREATE TABLE \"\" (id BIGINT)");
    assertNothingOutsideTheWarehouse();
  }

  @Test
  void columnNamesThatWouldNamePartitionFoldersAreRefused() throws Exception {
    refused("CREATE TABLE p (\"../../../w\" DATE) PARTITIONED BY (\"../../../w\")",
        "column name \"../../../w\" of table public.p", "'..'");
    refused("CREATE TABLE q (id BIGINT, \"a/b\" VARCHAR)", "column name \"a/b\"", "path separator");
    refused("CREATE TABLE r (id BIGINT, s STRUCT(\"..\" INT))", "column name \"..\"", "'..'");
    refused("CREATE TABLE s AS SELECT 1 AS \"x\ty\"", "column name \"x\\u0009y\"", "control characters");
    refused("ALTER TABLE plain ADD COLUMN \"../up\" INT", "column name \"../up\"", "'..'");
    refused("ALTER TABLE plain RENAME COLUMN id TO \"a\\b\"", "column name \"a\\b\"", "path separator");
    assertEquals(List.of("id"), columnsOf("plain"), "a refused ALTER changes nothing");
    assertNothingOutsideTheWarehouse();
  }

  @Test
  void everyStatementThatNamesATableRefusesNamesThatCouldNeverBeOne() throws Exception {
    // INSERT, UPDATE, DELETE, DROP, ALTER and reads, plain and with a branch or a time-travel clause
    refused("INSERT INTO \"..\".\"..\" VALUES (1)", "schema name \"..\"", "'..'");
    refused("INSERT INTO \"a/b\" VALUES (1)", "table name \"a/b\"", "path separator");
    refused("INSERT INTO main.\"..\".plain VALUES (1)", "schema name \"..\"", "'..'");
    refused("INSERT INTO plain SELECT * FROM main.public.\"../x\"", "table name \"../x\"", "'..'");
    refused("UPDATE \"a/b\" SET id = 1", "table name \"a/b\"", "path separator");
    refused("UPDATE \"..\".plain SET id = 1", "schema name \"..\"", "'..'");
    refused("DELETE FROM \"..\".\"..\"", "schema name \"..\"", "'..'");
    refused("DELETE FROM \"tab\there\"", "table name \"tab\\u0009here\"", "control characters");
    refused("DROP TABLE \"a/b\"", "table name \"a/b\"", "path separator");
    refused("DROP TABLE IF EXISTS \"..\"", "table name \"..\"", "'..'");
    refused("ALTER TABLE \"a\\b\" ADD COLUMN z INT", "table name \"a\\b\"", "path separator");
    refused("ALTER TABLE \"..\".plain RENAME COLUMN id TO z", "schema name \"..\"", "'..'");
    refused("SELECT * FROM main.\"..\".\"..\"", "schema name \"..\"", "'..'");
    refused("SELECT * FROM \"a/b\" AT BRANCH main", "table name \"a/b\"", "path separator");
    refused("SELECT * FROM \"..\" AT TAG nothing", "table name \"..\"", "'..'");
    refused("SELECT * FROM \"x/../y\" FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01'", "table name \"x/../y\"", "'..'");
    // a name that finds no lakehouse table and reads like a file is refused as such
    refused("SELECT * FROM \"..\".\"..\"", "\"..\"", "reads a file");
    refusedSomehow("INSERT INTO \"\" VALUES (1)");
    refusedSomehow("UPDATE \"\".\"\" SET id = 1");
    refusedSomehow("INSERT INTO a.b.c.d VALUES (1)");
    assertEquals(List.of(), rows("SELECT id FROM plain"), "nothing was written");
    assertNothingOutsideTheWarehouse();
  }

  @Test
  void namesInAnyScriptWork() throws Exception {
    run("CREATE SCHEMA \"café\"");
    run("CREATE TABLE \"café\".\"日本\" (\"naïve\" BIGINT, \"名前\" VARCHAR, day DATE) PARTITIONED BY (day)");
    run("INSERT INTO \"café\".\"日本\" VALUES (1, 'ok', DATE '2024-01-02')");
    run("CREATE TABLE \"sales 2024\" AS SELECT 2 AS \"a.b\", 'ü' AS \"Ωmega\"");
    run("ALTER TABLE \"sales 2024\" RENAME COLUMN \"Ωmega\" TO \"ωmega\"");
    run("CREATE TABLE \"" + "x".repeat(200) + "\" (id BIGINT)");
    assertEquals(List.of("1|ok"), rows("SELECT \"naïve\" || '|' || \"名前\" FROM \"café\".\"日本\""));
    assertEquals(List.of("2|ü"), rows("SELECT \"a.b\" || '|' || \"ωmega\" FROM \"sales 2024\""));
    try (Stream<Path> files = Files.walk(warehouse)) {
      assertTrue(files.anyMatch(p -> p.toString().contains("日本_")), "the table's folder is named after it");
    }
    assertNothingOutsideTheWarehouse();
  }

  private void refused(String sql, String names, String rule) throws SQLException {
    SQLException e = assertThrows(SQLException.class, () -> run(sql), sql);
    String message = e.getMessage();
    assertTrue(message.contains(names), sql + " -> " + message);
    assertTrue(message.contains(rule), sql + " -> " + message);
    assertEquals(List.of("1"), rows("SELECT 1"), "the connection keeps serving after: " + sql);
  }

  private void refusedSomehow(String sql) throws SQLException {
    assertThrows(SQLException.class, () -> run(sql), sql);
    assertEquals(List.of("1"), rows("SELECT 1"), "the connection keeps serving after: " + sql);
  }

  private void assertNothingOutsideTheWarehouse() throws IOException {
    try (Stream<Path> all = Files.walk(sandbox)) {
      List<Path> outside = all.filter(p -> !p.startsWith(warehouse) && !warehouse.startsWith(p)).toList();
      assertEquals(List.of(), outside, "files outside the warehouse");
    }
    try (Stream<Path> tables = Files.list(warehouse.resolve("tables"))) {
      List<String> folders = tables.map(p -> p.getFileName().toString()).sorted().toList();
      assertFalse(folders.stream().anyMatch(f -> f.startsWith(".")), "hidden folders: " + folders);
    }
  }

  private List<String> columnsOf(String table) throws SQLException {
    return rows("SELECT column_name FROM (DESCRIBE " + table + ")");
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private List<String> rows(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return column(s.executeQuery(sql), 1);
    }
  }
}
