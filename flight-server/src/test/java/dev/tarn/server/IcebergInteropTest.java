package dev.tarn.server;

import static dev.tarn.server.Sql.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tarn.catalog.At;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StaticTableOperations;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tables written by Tarn are valid Iceberg tables: Tarn writes them through the stock Flight SQL
 * JDBC driver (every column type, NULLs, copy-on-write UPDATE and DELETE, schema evolution,
 * partitioning, CREATE TABLE AS, a second branch), then, with the server stopped, Iceberg's own
 * Java reader ({@link IcebergGenerics} over Iceberg's Parquet readers, metadata parsed by Iceberg's
 * {@link StaticTableOperations}) reads the same rows back, plans pruned scans from Tarn's partition
 * values and column metrics, and finds well-formed snapshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IcebergInteropTest {
  static {
    // Hadoop's codec pool logs every decompressor Parquet borrows; slf4j-simple reads a logger's
    // level from system properties when the logger is created (on the first read, below).
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.io.compress.CodecPool", "warn");
  }

  /** How a column's values are compared: Tarn's side (JDBC) and Iceberg's side both map to one Java value. */
  enum Kind { LONG, INT, DOUBLE, DECIMAL, STRING, BOOLEAN, DATE, TIMESTAMP, TIMESTAMPTZ }

  record Col(String name, Kind kind) {}

  private static final String LONG_TEXT = "a string longer than the sixteen characters Iceberg truncates bounds to: "
      + "x".repeat(40);

  private static final List<Col> ALL_TYPES = List.of(
      new Col("id", Kind.LONG), new Col("n", Kind.INT), new Col("d", Kind.DOUBLE),
      new Col("amount", Kind.DECIMAL), new Col("name", Kind.STRING), new Col("flag", Kind.BOOLEAN),
      new Col("dt", Kind.DATE), new Col("ts", Kind.TIMESTAMP), new Col("tstz", Kind.TIMESTAMPTZ),
      new Col("note", Kind.STRING));
  private static final List<Col> EVENTS = List.of(
      new Col("id", Kind.LONG), new Col("country", Kind.STRING), new Col("ts", Kind.TIMESTAMP),
      new Col("usd", Kind.DOUBLE));
  private static final List<Col> TOTALS = List.of(
      new Col("country", Kind.STRING), new Col("n", Kind.LONG), new Col("ids", Kind.DECIMAL),
      new Col("usd", Kind.DOUBLE));

  private static final TableId ALL_TYPES_ID = TableId.of("interop", "all_types");
  private static final TableId EVENTS_ID = TableId.of("interop", "events");
  private static final TableId TOTALS_ID = TableId.of("interop", "totals");

  private Path warehouse;
  private EmbeddedBranchCatalog catalog;

  // What Tarn answered through JDBC while it was running.
  private List<List<Object>> tarnAllTypes;
  private List<List<Object>> tarnAllTypesDev;
  private List<List<Object>> tarnEvents;
  private List<List<Object>> tarnTotals;
  private final Map<String, List<List<Object>>> tarnFiltered = new LinkedHashMap<>();

  /** Filters Iceberg evaluates, each with the same predicate in Tarn's SQL (none involves NaN or NULL semantics). */
  private final Map<String, Expression> icebergFilters = new LinkedHashMap<>();

  @BeforeAll
  void writeWithTarnThenStopIt() throws Exception {
    warehouse = Files.createTempDirectory("tarn-iceberg-interop");
    try (TarnServer server = TarnServer.start(ServerConfig.local(warehouse));
        Connection c = DriverManager.getConnection(server.jdbcUrl(), new Properties())) {
      run(c, "CREATE SCHEMA interop");
      run(c, "CREATE TABLE interop.all_types (id BIGINT, n INTEGER, d DOUBLE, amount DECIMAL(10,2), name VARCHAR,"
          + " flag BOOLEAN, dt DATE, ts TIMESTAMP, tstz TIMESTAMP WITH TIME ZONE)");
      run(c, "INSERT INTO interop.all_types VALUES"
          + " (1, 1, 1.5, 12.34, 'alpha', true, DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00',"
          + "   TIMESTAMPTZ '2024-01-01 10:00:00+00'),"
          + " (2, -2147483648, -1e300, -99999999.99, 'héllo wörld ✓', false, DATE '1969-12-31',"
          + "   TIMESTAMP '1969-12-31 23:59:59.999999', TIMESTAMPTZ '1969-12-31 23:59:59.5+00'),"
          + " (3, 2147483647, 'NaN'::DOUBLE, 0.01, '', true, DATE '2999-12-31', TIMESTAMP '2999-12-31 23:59:59',"
          + "   TIMESTAMPTZ '2024-06-30 23:30:00-05'),"
          + " (4, 0, 'Infinity'::DOUBLE, 0.00, '" + LONG_TEXT + "', false, DATE '2000-02-29',"
          + "   TIMESTAMP '2000-02-29 12:34:56.123456', TIMESTAMPTZ '2000-02-29 12:34:56.123456+01'),"
          + " (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
      run(c, "INSERT INTO interop.all_types VALUES"
          + " (6, 6, '-Infinity'::DOUBLE, 99999999.99, 'zeta', false, DATE '1970-01-01', TIMESTAMP '1970-01-01 00:00:00',"
          + "   TIMESTAMPTZ '1970-01-01 00:00:00+00'),"
          + " (7, 7, 7.7, 7.70, 'to be deleted', true, DATE '2024-07-07', TIMESTAMP '2024-07-07 07:07:07',"
          + "   TIMESTAMPTZ '2024-07-07 07:07:07+07'),"
          + " (8, 8, 8.8, -8.80, 'eight', NULL, DATE '2024-08-08', TIMESTAMP '2024-08-08 08:08:08.000008', NULL)");
      // copy-on-write rewrites of both files
      run(c, "UPDATE interop.all_types SET amount = amount + 1, name = name || '!' WHERE id IN (1, 2)");
      run(c, "UPDATE interop.all_types SET n = n * 2 WHERE id = 8");
      run(c, "DELETE FROM interop.all_types WHERE id = 7");
      // schema evolution: the files so far lack the new column
      run(c, "ALTER TABLE interop.all_types ADD COLUMN note VARCHAR");
      run(c, "INSERT INTO interop.all_types VALUES"
          + " (9, 9, 9.25, 9.99, 'nine', true, DATE '2025-09-09', TIMESTAMP '2025-09-09 09:09:09',"
          + "   TIMESTAMPTZ '2025-09-09 09:09:09+00', 'added after ALTER'),"
          + " (10, 10, 10.5, 10.00, 'ten', false, DATE '2025-10-10', TIMESTAMP '2025-10-10 10:10:10',"
          + "   TIMESTAMPTZ '2025-10-10 10:10:10+00', NULL)");

      run(c, "CREATE TABLE interop.events (id BIGINT, country VARCHAR, ts TIMESTAMP, usd DOUBLE)"
          + " PARTITIONED BY (day(ts), country)");
      run(c, "INSERT INTO interop.events VALUES"
          + " (1, 'IT', TIMESTAMP '2023-01-05 10:00:00', 10.0),"
          + " (2, 'IT', TIMESTAMP '2023-01-05 23:59:59.999999', 20.0),"
          + " (3, 'FR', TIMESTAMP '2023-01-05 00:00:00', 5.0),"
          + " (4, 'FR', TIMESTAMP '2023-01-06 11:00:00', 7.5),"
          + " (5, NULL, TIMESTAMP '2023-01-06 12:00:00', 1.0),"
          + " (6, 'US', TIMESTAMP '1969-12-31 23:00:00', 2.0),"
          + " (7, 'US', NULL, 3.0)");
      run(c, "INSERT INTO interop.events VALUES (8, 'IT', TIMESTAMP '2023-01-06 09:00:00', 8.0),"
          + " (9, 'DE', TIMESTAMP '2023-01-07 09:00:00', 9.0)");
      run(c, "UPDATE interop.events SET usd = usd * 2 WHERE country = 'IT'");
      run(c, "DELETE FROM interop.events WHERE id = 3");

      run(c, "CREATE TABLE interop.totals AS SELECT country, count(*) AS n, sum(id) AS ids, sum(usd) AS usd"
          + " FROM interop.events GROUP BY ALL");

      run(c, "CREATE BRANCH dev");
      run(c, "INSERT INTO dev.interop.all_types VALUES (11, 11, 11.5, 11.11, 'only on dev', true, DATE '2026-11-11',"
          + " TIMESTAMP '2026-11-11 11:11:11', TIMESTAMPTZ '2026-11-11 11:11:11+00', 'dev')");

      tarnAllTypes = tarnRows(c, "interop.all_types", ALL_TYPES, "", "id");
      tarnAllTypesDev = tarnRows(c, "dev.interop.all_types", ALL_TYPES, "", "id");
      tarnEvents = tarnRows(c, "interop.events", EVENTS, "", "id");
      tarnTotals = tarnRows(c, "interop.totals", TOTALS, "", "country");

      filter(c, "all_types", "name = '" + LONG_TEXT + "'", Expressions.equal("name", LONG_TEXT));
      filter(c, "all_types", "amount > 9.99", Expressions.greaterThan("amount", new BigDecimal("9.99")));
      filter(c, "all_types", "id >= 9", Expressions.greaterThanOrEqual("id", 9L));
      filter(c, "all_types", "n < 0", sqlLessThan("n", 0));
      filter(c, "all_types", "dt < DATE '1970-01-01'", sqlLessThan("dt", "1970-01-01"));
      filter(c, "all_types", "ts > TIMESTAMP '2999-01-01 00:00:00'",
          Expressions.greaterThan("ts", "2999-01-01T00:00:00"));
      filter(c, "all_types", "tstz = TIMESTAMPTZ '2000-02-29 11:34:56.123456+00'",
          Expressions.equal("tstz", "2000-02-29T11:34:56.123456+00:00"));
      filter(c, "all_types", "note = 'added after ALTER'", Expressions.equal("note", "added after ALTER"));
      filter(c, "events", "country = 'IT'", Expressions.equal("country", "IT"));
      filter(c, "events", "ts >= TIMESTAMP '2023-01-05 00:00:00' AND ts < TIMESTAMP '2023-01-06 00:00:00'",
          Expressions.and(Expressions.greaterThanOrEqual("ts", "2023-01-05T00:00:00"),
              Expressions.lessThan("ts", "2023-01-06T00:00:00")));
      filter(c, "events", "ts < TIMESTAMP '1970-01-01 00:00:00'", sqlLessThan("ts", "1970-01-01T00:00:00"));
      filter(c, "events", "country IS NULL", Expressions.isNull("country"));
    }
    // The server is stopped: its RocksDB lock is released, and nothing of Tarn's runs below but
    // the catalog that says where each table's current metadata file is.
    catalog = EmbeddedBranchCatalog.open(warehouse);
  }

  @AfterAll
  void closeAndClean() {
    if (catalog != null) {
      catalog.close();
    }
    try (var files = Files.walk(warehouse)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }

  // ------------------------------------------------------------------------------ the checks

  @Test
  void icebergReadsEveryTypeNullAndEvolvedColumnAsTarnDoes() {
    Table table = icebergTable("main", ALL_TYPES_ID);
    Schema schema = table.schema();
    assertEquals(Types.LongType.get(), type(schema, "id"));
    assertEquals(Types.IntegerType.get(), type(schema, "n"));
    assertEquals(Types.DoubleType.get(), type(schema, "d"));
    assertEquals(Types.DecimalType.of(10, 2), type(schema, "amount"));
    assertEquals(Types.StringType.get(), type(schema, "name"));
    assertEquals(Types.BooleanType.get(), type(schema, "flag"));
    assertEquals(Types.DateType.get(), type(schema, "dt"));
    assertEquals(Types.TimestampType.withoutZone(), type(schema, "ts"));
    assertEquals(Types.TimestampType.withZone(), type(schema, "tstz"));
    assertEquals(Types.StringType.get(), type(schema, "note"));
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        schema.columns().stream().map(Types.NestedField::fieldId).toList(), "field ids 1..n, the new column last");
    assertTrue(table.schemas().size() >= 2, "the schema before ADD COLUMN is kept: " + table.schemas().keySet());

    List<List<Object>> rows = icebergRows(table, ALL_TYPES, Expressions.alwaysTrue(), "id");
    assertEquals(9, tarnAllTypes.size(), "Tarn's own answer: ids 1..10 without 7");
    assertRowsEqual(tarnAllTypes, rows, ALL_TYPES);
    // spot checks that the comparison really saw values, not two empty or all-null sides
    List<Object> second = rows.get(1);
    assertEquals(new BigDecimal("-99999998.99"), second.get(3));
    assertEquals("héllo wörld ✓!", second.get(4));
    assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), second.get(7));
    assertEquals(Instant.parse("1969-12-31T23:59:59.5Z"), second.get(8));
    assertTrue(Double.isNaN((Double) rows.get(2).get(2)));
    assertEquals(Instant.parse("2024-07-01T04:30:00Z"), rows.get(2).get(8));
    assertEquals(16, rows.get(6).get(1), "UPDATE n = n * 2 of id 8");
    assertEquals(null, rows.get(0).get(9), "rows written before ADD COLUMN read the new column as NULL");
    assertEquals("added after ALTER", rows.get(7).get(9));
    for (int i = 1; i < ALL_TYPES.size(); i++) {
      assertEquals(null, rows.get(4).get(i), "row 5 is NULL in " + ALL_TYPES.get(i).name());
    }
  }

  @Test
  void icebergReadsThePartitionedTableAndTheCreateTableAsTable() {
    Table events = icebergTable("main", EVENTS_ID);
    assertRowsEqual(tarnEvents, icebergRows(events, EVENTS, Expressions.alwaysTrue(), "id"), EVENTS);
    assertEquals(List.of(1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L), tarnEvents.stream().map(r -> r.get(0)).toList());

    Table totals = icebergTable("main", TOTALS_ID);
    assertEquals(Types.DecimalType.of(38, 0), type(totals.schema(), "ids"), "sum(BIGINT) is a HUGEINT in DuckDB");
    assertEquals(Types.LongType.get(), type(totals.schema(), "n"));
    assertRowsEqual(tarnTotals, icebergRows(totals, TOTALS, Expressions.alwaysTrue(), "country"), TOTALS);
    assertEquals(5, tarnTotals.size(), "IT, FR, US, DE and NULL");
  }

  @Test
  void dataFilesCarryTheirPartitionValuesAndFiltersPruneFiles() {
    Table table = icebergTable("main", EVENTS_ID);
    assertEquals(List.of("ts_day", "country"),
        table.spec().fields().stream().map(f -> f.name()).toList());
    assertEquals("day", table.spec().fields().get(0).transform().toString());
    assertEquals("identity", table.spec().fields().get(1).transform().toString());

    // every (day, country) of the rows Tarn returned is the partition of the files that hold them
    Map<List<Object>, Long> expected = new HashMap<>();
    for (List<Object> row : tarnEvents) {
      LocalDateTime ts = (LocalDateTime) row.get(2);
      Integer day = ts == null ? null : (int) Math.floorDiv(micros(ts), 86_400_000_000L);
      expected.merge(java.util.Arrays.asList(day, row.get(1)), 1L, Long::sum);
    }
    Map<List<Object>, Long> found = new HashMap<>();
    List<DataFile> files = dataFiles(table, Expressions.alwaysTrue());
    for (DataFile f : files) {
      StructLike p = f.partition();
      assertEquals(2, p.size());
      found.merge(java.util.Arrays.asList(p.get(0, Integer.class), p.get(1, String.class)), f.recordCount(), Long::sum);
      // and the rows in the file agree with the file's partition
      for (Record r : readFile(table, f)) {
        LocalDateTime ts = (LocalDateTime) r.getField("ts");
        assertEquals(p.get(0, Integer.class), ts == null ? null : (int) Math.floorDiv(micros(ts), 86_400_000_000L),
            f.location());
        assertEquals(p.get(1, String.class), r.getField("country"), f.location());
      }
    }
    assertEquals(expected, found, "partition values and record counts of the data files");
    assertTrue(expected.containsKey(java.util.Arrays.asList(-1, "US")), "1969-12-31 is day -1: " + expected);

    int all = files.size();
    int italy = dataFiles(table, Expressions.equal("country", "IT")).size();
    assertTrue(italy > 0 && italy < all, "country = 'IT' plans " + italy + " of " + all + " files");
    int oneDay = dataFiles(table, Expressions.and(Expressions.greaterThanOrEqual("ts", "2023-01-05T00:00:00"),
        Expressions.lessThan("ts", "2023-01-06T00:00:00"))).size();
    assertTrue(oneDay > 0 && oneDay < all, "one day plans " + oneDay + " of " + all + " files");
    assertEquals(1, dataFiles(table, Expressions.and(Expressions.equal("country", "DE"),
        Expressions.equal(Expressions.day("ts"), "2023-01-07"))).size());
  }

  @Test
  void filteredIcebergReadsMatchTarnsWhere() {
    // Iceberg prunes files with Tarn's partition values and column metrics, then filters rows:
    // wrong bounds or null counts would drop rows here.
    for (var e : tarnFiltered.entrySet()) {
      String name = e.getKey();
      boolean events = name.startsWith("events:");
      List<Col> cols = events ? EVENTS : ALL_TYPES;
      Table table = icebergTable("main", events ? EVENTS_ID : ALL_TYPES_ID);
      List<List<Object>> rows = icebergRows(table, cols, icebergFilters.get(name), "id");
      assertFalse(e.getValue().isEmpty(), name + ": Tarn found rows");
      assertRowsEqual(e.getValue(), rows, cols, name);
    }
  }

  @Test
  void fileMetricsAreTrueToTheRowsInTheFiles() {
    for (TableId id : List.of(ALL_TYPES_ID, EVENTS_ID, TOTALS_ID)) {
      Table table = icebergTable("main", id);
      List<DataFile> files = dataFiles(table, Expressions.alwaysTrue());
      assertFalse(files.isEmpty(), id.toString());
      for (DataFile f : files) {
        checkMetrics(table, f);
      }
    }
    // the metrics are there to be used: Iceberg prunes an unpartitioned table's files with them
    Table table = icebergTable("main", ALL_TYPES_ID);
    List<DataFile> files = dataFiles(table, Expressions.alwaysTrue());
    // Not checked for bounds: d (DuckDB writes no min/max statistics for a DOUBLE column holding
    // NaN or -Infinity, so Tarn rightly keeps none). ts covers the far-future 2999-12-31.
    for (DataFile f : files) {
      for (String column : List.of("id", "n", "amount", "name", "dt", "ts", "tstz")) {
        int id = table.schema().findField(column).fieldId();
        String what = f.location() + " column " + column;
        assertNotNull(f.valueCounts().get(id), what + " value count");
        assertNotNull(f.nullValueCounts().get(id), what + " null count");
        assertNotNull(f.lowerBounds().get(id), what + " lower bound");
        assertNotNull(f.upperBounds().get(id), what + " upper bound");
      }
    }
    assertTrue(files.size() >= 3, "inserts and copy-on-write rewrites left several files: " + files.size());
    assertEquals(1, dataFiles(table, Expressions.equal("id", 9L)).size(), "id bounds prune all files but one");
    assertEquals(1, dataFiles(table, Expressions.equal("name", LONG_TEXT)).size(), "string bounds prune");
    assertEquals(1, dataFiles(table, Expressions.greaterThan("tstz", "2025-01-01T00:00:00+00:00")).size());
  }

  @Test
  void theDevBranchHasItsExtraRowAndMainDoesNot() {
    Table dev = icebergTable("dev", ALL_TYPES_ID);
    Table main = icebergTable("main", ALL_TYPES_ID);
    List<List<Object>> devRows = icebergRows(dev, ALL_TYPES, Expressions.alwaysTrue(), "id");
    assertRowsEqual(tarnAllTypesDev, devRows, ALL_TYPES);
    assertEquals(tarnAllTypes.size() + 1, devRows.size());
    assertEquals(11L, devRows.get(devRows.size() - 1).get(0));
    assertEquals(1, icebergRows(dev, ALL_TYPES, Expressions.equal("id", 11L), "id").size());
    assertTrue(icebergRows(main, ALL_TYPES, Expressions.equal("id", 11L), "id").isEmpty());
    // the branch's metadata descends from main's: main's current snapshot is dev's parent
    assertEquals(main.currentSnapshot().snapshotId(), dev.currentSnapshot().parentId());
    assertEquals(main.location(), dev.location(), "a branch shares the table's files");
  }

  @Test
  void snapshotsAndMetadataAreWellFormed() {
    for (TableId id : List.of(ALL_TYPES_ID, EVENTS_ID, TOTALS_ID)) {
      Table table = icebergTable("main", id);
      Table viaCatalog = catalog.loadTable(At.branch("main"), id);
      assertEquals(viaCatalog.currentSnapshot().snapshotId(), table.currentSnapshot().snapshotId());
      int formatVersion = ((HasTableOperations) table).operations().current().formatVersion();
      assertTrue(formatVersion >= 2, id + " format version " + formatVersion);
      assertTrue(Files.isDirectory(Path.of(table.location())), table.location());
      assertTrue(table.location().startsWith(warehouse.toAbsolutePath().toString())
          || table.location().startsWith(warehouse.toUri().toString().replaceAll("/$", "")), table.location());

      // every snapshot in the current one's ancestry: summary totals match what Iceberg reads
      Snapshot s = table.currentSnapshot();
      long previousSequence = Long.MAX_VALUE;
      int count = 0;
      while (s != null) {
        count++;
        Map<String, String> summary = s.summary();
        assertNotNull(s.operation(), id + " snapshot " + s.snapshotId());
        for (String key : List.of("total-records", "total-data-files", "total-delete-files")) {
          assertTrue(summary.containsKey(key), id + " snapshot " + s.snapshotId() + " summary lacks " + key + ": " + summary);
        }
        assertTrue(s.sequenceNumber() < previousSequence, "sequence numbers grow along the history");
        previousSequence = s.sequenceNumber();
        assertTrue(Files.exists(Path.of(localPath(s.manifestListLocation()))), s.manifestListLocation());
        long read = count(IcebergGenerics.read(table).useSnapshot(s.snapshotId()).build());
        assertEquals(Long.parseLong(summary.get("total-records")), read, id + " rows at snapshot " + s.snapshotId());
        long files = count(table.newScan().useSnapshot(s.snapshotId()).planFiles());
        assertEquals(Long.parseLong(summary.get("total-data-files")), files, id + " files at " + s.snapshotId());
        assertEquals("0", summary.get("total-delete-files"), "copy-on-write: no delete files");
        s = s.parentId() == null ? null : table.snapshot(s.parentId());
      }
      assertTrue(count >= 1);
    }

    Table table = icebergTable("main", ALL_TYPES_ID);
    Map<String, String> last = table.currentSnapshot().summary();
    assertEquals("append", table.currentSnapshot().operation(), "the last statement was an INSERT");
    assertEquals("2", last.get("added-records"), last.toString());
    assertEquals("1", last.get("added-data-files"), last.toString());
    assertEquals(String.valueOf(tarnAllTypes.size()), last.get("total-records"), last.toString());
    // UPDATE and DELETE are overwrites that remove and add files
    Set<String> operations = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      operations.add(s.operation());
      if (!s.operation().equals("append")) {
        assertTrue(s.summary().containsKey("deleted-data-files"), s.summary().toString());
      }
    }
    assertTrue(operations.contains("append") && operations.size() >= 2, operations.toString());
  }

  // ------------------------------------------------------------------------------ Tarn's side

  private void filter(Connection c, String table, String where, Expression iceberg) throws SQLException {
    String name = table + ": " + where;
    boolean events = table.equals("events");
    tarnFiltered.put(name, tarnRows(c, "interop." + table, events ? EVENTS : ALL_TYPES, " WHERE " + where, "id"));
    icebergFilters.put(name, iceberg);
  }

  /**
   * SQL's {@code column < value}, which no NULL satisfies. Iceberg's row evaluator orders NULL
   * before every value ({@code Literal.comparator()} is nulls-first), so its bare {@code lessThan}
   * keeps NULL rows of files it cannot prune: engines add the {@code notNull} themselves.
   */
  private static Expression sqlLessThan(String column, Object value) {
    return Expressions.and(Expressions.notNull(column), Expressions.lessThan(column, value));
  }

  /** Tarn's rows, temporal values as DuckDB computes them exactly (epoch microseconds, ISO dates). */
  private static List<List<Object>> tarnRows(Connection c, String table, List<Col> cols, String where, String order)
      throws SQLException {
    List<String> exprs = new ArrayList<>();
    for (Col col : cols) {
      String q = "\"" + col.name() + "\"";
      exprs.add(switch (col.kind()) {
        case DATE -> "CAST(" + q + " AS VARCHAR)";
        case TIMESTAMP, TIMESTAMPTZ -> "epoch_us(" + q + ")";
        default -> q;
      });
    }
    String sql = "SELECT " + String.join(", ", exprs) + " FROM " + table + where + " ORDER BY \"" + order + "\"";
    List<List<Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
          Object v = rs.getObject(i + 1);
          row.add(v == null ? null : fromTarn(cols.get(i), v));
        }
        rows.add(row);
      }
    }
    rows.sort(byColumn(cols, order));
    return rows;
  }

  private static Object fromTarn(Col col, Object v) {
    return switch (col.kind()) {
      case LONG -> expect(col, v, Long.class);
      case INT -> expect(col, v, Integer.class);
      case DOUBLE -> expect(col, v, Double.class);
      case DECIMAL -> expect(col, v, BigDecimal.class);
      case STRING -> expect(col, v, String.class);
      case BOOLEAN -> expect(col, v, Boolean.class);
      case DATE -> LocalDate.parse(expect(col, v, String.class));
      case TIMESTAMP -> LocalDateTime.ofEpochSecond(Math.floorDiv(expect(col, v, Long.class), 1_000_000L),
          (int) Math.floorMod(expect(col, v, Long.class), 1_000_000L) * 1000, ZoneOffset.UTC);
      case TIMESTAMPTZ -> Instant.EPOCH.plus(expect(col, v, Long.class), ChronoUnit.MICROS);
    };
  }

  // ------------------------------------------------------------------------------ Iceberg's side

  /**
   * The table at a branch head, opened by Iceberg itself: Tarn's catalog only names the metadata
   * file; {@link StaticTableOperations} parses it, and Iceberg plans and reads everything else.
   */
  private Table icebergTable(String branch, TableId id) {
    TableEntry entry = catalog.findTable(At.branch(branch), id).orElseThrow();
    return new BaseTable(new StaticTableOperations(entry.metadataLocation(), catalog.io()), branch + "." + id);
  }

  private static List<List<Object>> icebergRows(Table table, List<Col> cols, Expression filter, String order) {
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).where(filter).build()) {
      for (Record r : records) {
        List<Object> row = new ArrayList<>();
        for (Col col : cols) {
          Object v = r.getField(col.name());
          row.add(v == null ? null : fromIceberg(col, v));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(byColumn(cols, order));
    return rows;
  }

  private static Object fromIceberg(Col col, Object v) {
    return switch (col.kind()) {
      case LONG -> expect(col, v, Long.class);
      case INT -> expect(col, v, Integer.class);
      case DOUBLE -> expect(col, v, Double.class);
      case DECIMAL -> expect(col, v, BigDecimal.class);
      case STRING -> expect(col, v, CharSequence.class).toString();
      case BOOLEAN -> expect(col, v, Boolean.class);
      case DATE -> expect(col, v, LocalDate.class);
      case TIMESTAMP -> expect(col, v, LocalDateTime.class);
      case TIMESTAMPTZ -> expect(col, v, OffsetDateTime.class).toInstant();
    };
  }

  private static List<DataFile> dataFiles(Table table, Expression filter) {
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).includeColumnStats().planFiles()) {
      for (FileScanTask t : tasks) {
        assertTrue(t.deletes().isEmpty(), "copy-on-write tables have no delete files");
        files.add(t.file());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** One data file's rows, read with Iceberg's Parquet reader by field id. */
  private static List<Record> readFile(Table table, DataFile file) {
    Schema schema = table.schema();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> records = Parquet.read(table.io().newInputFile(file.location()))
        .project(schema)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
        .build()) {
      records.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The metrics Tarn registered for a data file against the rows Iceberg reads from it: record and
   * value counts, null and NaN counts, and lower/upper bounds that enclose every value (bounds may
   * be looser, e.g. truncated strings, but never NaN and never tighter than the data).
   */
  private static void checkMetrics(Table table, DataFile f) {
    String where = table.name() + " " + f.location();
    assertEquals(FileContent.DATA, f.content(), where);
    assertEquals(FileFormat.PARQUET, f.format(), where);
    assertTrue(Files.exists(Path.of(localPath(f.location()))), where);
    try {
      assertEquals(Files.size(Path.of(localPath(f.location()))), f.fileSizeInBytes(), where + " size");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Record> rows = readFile(table, f);
    assertEquals(rows.size(), f.recordCount(), where + " record count");
    for (Types.NestedField field : table.schema().columns()) {
      int id = field.fieldId();
      Type.PrimitiveType type = field.type().asPrimitiveType();
      Comparator<Object> cmp = comparator(type);
      long nulls = 0;
      long nans = 0;
      Object min = null;
      Object max = null;
      for (Record r : rows) {
        Object v = internal(type, r.getField(field.name()));
        if (v == null) {
          nulls++;
        } else if (v instanceof Double d && d.isNaN()) {
          nans++;
        } else {
          min = min == null || cmp.compare(v, min) < 0 ? v : min;
          max = max == null || cmp.compare(v, max) > 0 ? v : max;
        }
      }
      String col = where + " column " + field.name();
      Long valueCount = f.valueCounts() == null ? null : f.valueCounts().get(id);
      Long nullCount = f.nullValueCounts() == null ? null : f.nullValueCounts().get(id);
      if (valueCount == null && nullCount == null && nulls == rows.size()) {
        continue; // a file written before the column existed: no stats, every value NULL
      }
      if (valueCount != null) {
        assertEquals(rows.size(), valueCount.longValue(), col + " value count");
      }
      if (nullCount != null) {
        assertEquals(nulls, nullCount.longValue(), col + " null count");
      }
      Long nanCount = f.nanValueCounts() == null ? null : f.nanValueCounts().get(id);
      if (nanCount != null) {
        assertEquals(nans, nanCount.longValue(), col + " NaN count");
      }
      Object lower = bound(type, f.lowerBounds(), id);
      Object upper = bound(type, f.upperBounds(), id);
      for (Object b : java.util.Arrays.asList(lower, upper)) {
        assertFalse(b instanceof Double d && d.isNaN(), col + ": a bound is NaN");
      }
      if (min == null) {
        continue; // only NULLs or NaNs: any bound is fine
      }
      if (lower != null) {
        assertTrue(cmp.compare(lower, min) <= 0, col + ": lower bound " + lower + " above the minimum " + min);
      }
      if (upper != null) {
        assertTrue(cmp.compare(upper, max) >= 0, col + ": upper bound " + upper + " below the maximum " + max);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Comparator<Object> comparator(Type.PrimitiveType type) {
    return (Comparator<Object>) (Comparator<?>) Comparators.forType(type);
  }

  private static Object bound(Type.PrimitiveType type, Map<Integer, ByteBuffer> bounds, int id) {
    if (bounds == null || bounds.get(id) == null) {
      return null;
    }
    return Conversions.fromByteBuffer(type, bounds.get(id));
  }

  /** A generic reader's value in Iceberg's internal representation (what bounds hold). */
  private static Object internal(Type.PrimitiveType type, Object v) {
    if (v == null) {
      return null;
    }
    return switch (type.typeId()) {
      case DATE -> (int) ((LocalDate) v).toEpochDay();
      case TIMESTAMP -> v instanceof OffsetDateTime o ? micros(o.toInstant()) : micros((LocalDateTime) v);
      case STRING -> v.toString();
      default -> v;
    };
  }

  // ------------------------------------------------------------------------------ helpers

  private static void assertRowsEqual(List<List<Object>> tarn, List<List<Object>> iceberg, List<Col> cols) {
    assertRowsEqual(tarn, iceberg, cols, "");
  }

  private static void assertRowsEqual(List<List<Object>> tarn, List<List<Object>> iceberg, List<Col> cols,
      String what) {
    assertEquals(tarn.size(), iceberg.size(), what + " row count: Tarn " + tarn + "\nIceberg " + iceberg);
    for (int r = 0; r < tarn.size(); r++) {
      for (int i = 0; i < cols.size(); i++) {
        Object t = tarn.get(r).get(i);
        Object ice = iceberg.get(r).get(i);
        boolean same = t instanceof BigDecimal a && ice instanceof BigDecimal b
            ? a.compareTo(b) == 0 && a.scale() == b.scale()
            : Objects.equals(t, ice);
        if (!same) {
          fail(what + " row " + r + " column " + cols.get(i).name() + ": Tarn " + t + " ("
              + (t == null ? "null" : t.getClass().getSimpleName()) + "), Iceberg " + ice + " ("
              + (ice == null ? "null" : ice.getClass().getSimpleName()) + ")\nTarn:    " + tarn.get(r)
              + "\nIceberg: " + iceberg.get(r));
        }
      }
    }
  }

  private static Comparator<List<Object>> byColumn(List<Col> cols, String name) {
    int index = cols.stream().map(Col::name).toList().indexOf(name);
    Function<List<Object>, String> key = row -> row.get(index) == null ? null : String.valueOf(row.get(index));
    if (cols.get(index).kind() == Kind.LONG) {
      return Comparator.comparing(row -> (Long) row.get(index), Comparator.nullsLast(Comparator.naturalOrder()));
    }
    return Comparator.comparing(key, Comparator.nullsLast(Comparator.naturalOrder()));
  }

  private static <T> T expect(Col col, Object v, Class<T> type) {
    if (!type.isInstance(v)) {
      fail(col.name() + ": expected a " + type.getSimpleName() + ", got " + v.getClass().getName() + " " + v);
    }
    return type.cast(v);
  }

  private static Type type(Schema schema, String column) {
    Types.NestedField f = schema.findField(column);
    assertNotNull(f, "column " + column + " in " + schema);
    return f.type();
  }

  private static long micros(LocalDateTime ts) {
    return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), ts);
  }

  private static long micros(Instant ts) {
    // not ChronoUnit.MICROS.between(EPOCH, ts): that counts nanoseconds and overflows past 2262
    return Math.addExact(Math.multiplyExact(ts.getEpochSecond(), 1_000_000L), ts.getNano() / 1000);
  }

  private static String localPath(String location) {
    return location.startsWith("file:") ? Path.of(java.net.URI.create(location)).toString() : location;
  }

  private static long count(CloseableIterable<?> items) {
    long n = 0;
    try (items) {
      for (Object ignored : items) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
