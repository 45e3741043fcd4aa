package dev.tarn.server;

import static dev.tarn.server.Sql.run;
import static dev.tarn.server.Sql.values;
import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.testing.NessieTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectnessie.client.NessieClientBuilder;
import org.projectnessie.client.api.NessieApiV2;
import org.projectnessie.model.Branch;
import org.projectnessie.model.CommitMeta;
import org.projectnessie.model.ContentKey;
import org.projectnessie.model.IcebergTable;
import org.projectnessie.model.Operation;
import dev.tarn.testing.OtherEngineTableOperations;

/**
 * Tables another engine wrote through the same Nessie server, with Iceberg's default layout
 * ({@code <warehouse>/<namespace>/<table>/data/...}, outside the folder Tarn's own tables use):
 * Tarn reads and changes them through its SQL, without the engine's file access growing. The
 * other engine here is Iceberg's own Java library (what Spark's Iceberg runtime runs), writing
 * metadata and Parquet files and committing the table to Nessie as Iceberg's NessieCatalog does.
 */
class ForeignTablesTest {
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "name", Types.StringType.get()));

  @TempDir
  static Path temp;

  private static NessieTestServer nessie;
  private static Path warehouse;
  private static TarnServer server;

  @BeforeAll
  static void start() throws IOException {
    nessie = NessieTestServer.start();
    warehouse = Files.createDirectories(temp.resolve("warehouse"));
    server = TarnServer.start(ServerConfig.local(warehouse).withCatalogUri(nessie.apiV2()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (nessie != null) {
      nessie.close();
    }
  }

  @Test
  void tarnReadsAndChangesATableAnotherEngineWroteWithDefaultLocations() throws Exception {
    Path dataFile = commitForeignTable("ext", "events", warehouse.resolve("ext/events").toUri().toString(),
        List.of(1L, 2L, 3L), null, "main");
    try (Connection c = connect()) {
      assertEquals(List.of("1:a1", "2:a2", "3:a3"), values(c, "SELECT id || ':' || name FROM ext.events ORDER BY id"));
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG main")) {
        assertTrue(column(rs, "message").contains("Iceberg append against ext.events"));
      }
      Path link = warehouse.resolve("cache/linked").resolve(warehouse.relativize(dataFile));
      assertTrue(Files.isRegularFile(link), "read through a link under the cache folder: " + link);
      assertEquals(Files.getAttribute(dataFile, "unix:ino"), Files.getAttribute(link, "unix:ino"),
          "a hard link: no byte is copied");

      run(c, "INSERT INTO ext.events VALUES (4, 'b4')");
      run(c, "DELETE FROM ext.events WHERE id = 1");
      run(c, "UPDATE ext.events SET name = 'c2' WHERE id = 2");
      assertEquals(List.of("2:c2", "3:a3", "4:b4"), values(c, "SELECT id || ':' || name FROM ext.events ORDER BY id"));
      try (Stream<Path> files = Files.list(dataFile.getParent())) {
        assertTrue(files.filter(p -> p.toString().endsWith(".parquet")).count() >= 3,
            "Tarn's new files live in the table's own data folder, where the other engine expects them");
      }
    }
  }

  @Test
  void metadataCannotMakeTheEngineReadFilesOutsideTheTables() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path secret = Files.createDirectories(warehouse.resolve("access"));
    try (Connection c = connect()) {
      // On a branch of their own: a statement Tarn binds every table for must not meet them on main.
      run(c, "CREATE BRANCH hostile");
      commitForeignTable("ext", "escape", outside.toUri().toString(), List.of(1L), null, "hostile");
      run(c, "USE BRANCH hostile");
      SQLException escape = assertThrows(SQLException.class, () -> values(c, "SELECT * FROM ext.escape"));
      assertTrue(escape.getMessage().contains("outside the warehouse"), escape.getMessage());

      commitForeignTable("ext", "state", secret.resolve("t").toUri().toString(), List.of(1L), null, "hostile");
      SQLException own = assertThrows(SQLException.class, () -> values(c, "SELECT * FROM ext.state"));
      assertTrue(own.getMessage().contains("server's own folder"), own.getMessage());

      // A symbolic link inside the warehouse pointing out of it is not followed.
      Path target = outside.resolve("real.parquet");
      Path linked = Files.createDirectories(warehouse.resolve("ext/sneaky/data"));
      commitForeignTable("ext", "sneaky", warehouse.resolve("ext/sneaky").toUri().toString(), List.of(1L),
          file -> {
            try {
              Files.move(file, target);
              Files.createSymbolicLink(file, target);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }, "hostile");
      assertTrue(Files.isSymbolicLink(Files.list(linked).findFirst().orElseThrow()));
      SQLException symlink = assertThrows(SQLException.class, () -> values(c, "SELECT * FROM ext.sneaky"));
      assertTrue(symlink.getMessage().contains("symbolic link"), symlink.getMessage());

      assertEquals(List.of("1"), values(c, "SELECT 1"), "after each refusal the connection keeps serving");
      assertFalse(Files.exists(warehouse.resolve("cache/linked/access")), "nothing of the server's own folder is linked");
    }
  }

  @Test
  void aDataFileLocationIsAFileNeverAPatternOverOtherTablesFiles() throws Exception {
    try (Connection c = connect()) {
      run(c, "CREATE BRANCH globbing");
      run(c, "USE BRANCH globbing");
      run(c, "CREATE SCHEMA vault");
      run(c, "CREATE TABLE vault.secrets AS SELECT 99::BIGINT AS id, 'top secret' AS name");
      // DuckDB expands *, ? and [..] in the paths it reads: a location with them names every
      // matching file, here those of every table Tarn keeps under tables/.
      String pattern = warehouse.resolve("tables") + "/**/*.parquet";
      commitForeignTable("ext", "glob", warehouse.resolve("ext/glob").toUri().toString(), List.of(1L), null,
          "globbing", recorded -> DataFiles.builder(PartitionSpec.unpartitioned()).copy(recorded)
              .withPath(pattern).build());
      try {
        fail("a pattern was read as a data file, giving another table's rows: " + values(c, "SELECT name FROM ext.glob"));
      } catch (SQLException refused) {
        assertTrue(refused.getMessage().contains(pattern), refused.getMessage());
      }
      assertEquals(List.of("top secret"), values(c, "SELECT name FROM vault.secrets"),
          "after the refusal the connection keeps serving");
    }
  }

  @Test
  void aPartitionValueWithPatternCharactersIsReadAsItself() throws Exception {
    try (Connection c = connect()) {
      run(c, "CREATE BRANCH starred");
      run(c, "USE BRANCH starred");
      run(c, "CREATE SCHEMA part");
      // Iceberg's partition folders keep a * of the value: name=a*b/ beside name=axxb/
      run(c, "CREATE TABLE part.t (id BIGINT, name VARCHAR) PARTITIONED BY (name)");
      run(c, "INSERT INTO part.t VALUES (1, 'a*b'), (2, 'axxb'), (3, '[x]?'), (4, 'x')");
      assertEquals(List.of("1:a*b", "2:axxb", "3:[x]?", "4:x"), values(c, "SELECT id || ':' || name FROM part.t ORDER BY id"));
      run(c, "DELETE FROM part.t WHERE name = 'a*b'");
      assertEquals(List.of("2:axxb", "3:[x]?", "4:x"), values(c, "SELECT id || ':' || name FROM part.t ORDER BY id"));
    }
  }

  @Test
  void oneUnreadableTableDoesNotBreakStatementsThatBindEveryTable() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside-bind"));
    try (Connection c = connect()) {
      run(c, "CREATE BRANCH binding");
      run(c, "USE BRANCH binding");
      run(c, "CREATE SCHEMA good");
      run(c, "CREATE TABLE good.t AS SELECT 1::BIGINT AS id, 'kept' AS name");
      // FROM-first is DuckDB's syntax only: Tarn cannot see its tables and binds every table of the commit.
      String duckDbOnly = "FROM good.t SELECT name";
      assertEquals(List.of("kept"), values(c, duckDbOnly));
      // Another engine commits a table whose file Tarn refuses (outside the warehouse).
      commitForeignTable("ext", "broken", outside.toUri().toString(), List.of(1L), null, "binding");
      assertThrows(SQLException.class, () -> values(c, "SELECT * FROM ext.broken"));
      assertEquals(List.of("kept"), values(c, duckDbOnly),
          "a statement that never names the refused table is not refused because of it");
    }
  }

  /** What to do to the written data file before the commit (null: nothing). */
  interface Tamper {
    void apply(Path dataFile);
  }

  /**
   * Writes a table the way another engine on the same Nessie server does: Iceberg metadata and a
   * Parquet data file under {@code location}, then a Nessie commit putting the table (and its
   * namespace) on {@code branch}. Returns the data file.
   */
  private static Path commitForeignTable(String namespace, String name, String location, List<Long> ids,
      Tamper tamper, String branch) throws IOException {
    return commitForeignTable(namespace, name, location, ids, tamper, branch, recorded -> recorded);
  }

  /** Like the above; the table's metadata records {@code record} of the written data file instead. */
  private static Path commitForeignTable(String namespace, String name, String location, List<Long> ids,
      Tamper tamper, String branch, UnaryOperator<DataFile> record) throws IOException {
    OtherEngineTableOperations ops = new OtherEngineTableOperations(new LocalFileIO());
    ops.commit(null, TableMetadata.newTableMetadata(SCHEMA, PartitionSpec.unpartitioned(), location,
        Map.of("format-version", "2")));
    Table table = new BaseTable(ops, namespace + "." + name);
    String path = table.locationProvider().newDataLocation("00000-0-" + UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer = Parquet.writeData(table.io().newOutputFile(path))
        .schema(SCHEMA).createWriterFunc(GenericParquetWriter::create).withSpec(PartitionSpec.unpartitioned())
        .overwrite().build();
    try (writer) {
      for (long id : ids) {
        writer.write(GenericRecord.create(SCHEMA).copy(Map.of("id", id, "name", "a" + id)));
      }
    }
    DataFile written = writer.toDataFile();
    Path file = LocalFileIO.toPath(written.location());
    if (tamper != null) {
      tamper.apply(file);
    }
    table.newAppend().appendFile(record.apply(DataFiles.builder(PartitionSpec.unpartitioned()).copy(written)
        .withFormat(FileFormat.PARQUET).build())).commit();
    TableMetadata metadata = ((HasTableOperations) table).operations().current();

    try (NessieApiV2 api = NessieClientBuilder.createClientBuilder("HTTP", null)
        .withUri(nessie.apiV2()).build(NessieApiV2.class)) {
      Branch target = (Branch) api.getReference().refName(branch).get();
      var commit = api.commitMultipleOperations().branch(target)
          .commitMeta(CommitMeta.fromMessage("Iceberg append against " + namespace + "." + name));
      if (api.getContent().refName(target.getName()).key(ContentKey.of(namespace)).get().isEmpty()) {
        commit.operation(Operation.Put.of(ContentKey.of(namespace),
            org.projectnessie.model.Namespace.of(namespace)));
      }
      commit.operation(Operation.Put.of(ContentKey.of(namespace, name), IcebergTable.of(
          metadata.metadataFileLocation(), metadata.currentSnapshot().snapshotId(), metadata.currentSchemaId(),
          metadata.defaultSpecId(), metadata.defaultSortOrderId())));
      commit.commit();
    } catch (Exception e) {
      throw new IllegalStateException("cannot commit " + namespace + "." + name + " to Nessie", e);
    }
    return file;
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), new Properties());
  }
}
