package dev.tarn.executor.lakehouse;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.SchemaChange;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineConfig;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineSession;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.lakehouse.IcebergTypes.Column;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakehouseTest {
  private static final TableId TX = TableId.of("sales", "transactions");

  @TempDir Path warehouse;
  private DuckDbEngine engine;
  private EmbeddedBranchCatalog catalog;
  private LakehouseViews views;
  private Connection internal;
  private EngineSession session;
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
    catalog = EmbeddedBranchCatalog.open(warehouse);
    views = new LakehouseViews(engine, catalog);
    internal = engine.openInternalConnection();
    session = engine.openSession();
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() throws Exception {
    session.close();
    internal.close();
    views.close();
    catalog.close();
    engine.close();
    allocator.close();
  }

  // ---- helpers ----

  private Schema createTable(TableId id, PartitionSpec spec, Column... columns) {
    Schema schema = IcebergTypes.toSchema(List.of(columns));
    PartitionSpec bound = spec == null ? PartitionSpec.unpartitioned() : spec;
    catalog.commit(ChangeSet.on("main").message("CREATE TABLE " + id).author("test")
        .createNamespace(id.namespace(), true)
        .createTable(id, schema, bound, Map.of(), false));
    return schema;
  }

  private List<DataFileSpec> append(TableId id, String query) {
    Table table = catalog.loadTable(At.branch("main"), id);
    List<DataFileSpec> files = new DataFileWriter(internal)
        .write(query, table.schema(), table.spec(), table.location() + "/data");
    catalog.commit(ChangeSet.on("main").message("INSERT " + id).author("test").appendFiles(id, files));
    return files;
  }

  private ResolvedReference main() {
    return catalog.resolve(At.branch("main"));
  }

  /** Rows of a client query, each value rendered by Arrow's getObject().toString(). */
  private List<String> rows(String sql) {
    List<String> out = new ArrayList<>();
    try (RowStream rows = (RowStream) session.newExecution(sql, List.of(), allocator).run()) {
      while (rows.next()) {
        VectorSchemaRoot root = rows.root();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<String> cells = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            Object o = v.getObject(r);
            cells.add(String.valueOf(o));
          }
          out.add(String.join("|", cells));
        }
      }
    }
    return out;
  }

  private List<String> plannedFiles(Table table, org.apache.iceberg.expressions.Expression filter) throws IOException {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      for (FileScanTask t : tasks) {
        files.add(t.file().location());
      }
    }
    return files;
  }

  // ---- tests ----

  @Test
  void writesAppendsAndReadsBackThroughAView() {
    Schema mine = createTable(TX, null,
        new Column("id", "BIGINT"), new Column("name", "VARCHAR"), new Column("usd", "DOUBLE"));
    Table table = catalog.loadTable(At.branch("main"), TX);
    assertTrue(mine.sameSchema(table.schema()), "Tarn's field ids agree with the catalog's: " + table.schema());

    List<DataFileSpec> files = append(TX, "SELECT * FROM (VALUES (1, 'ann', 10.5), (2, 'bob', NULL), (3, NULL, 7.25)) v(a, b, c)");
    assertEquals(1, files.size());
    assertTrue(files.get(0).path().startsWith(table.location() + "/data/"));

    String view = views.ensureView(main(), TX);
    assertEquals("\"" + LakehouseViews.catalogName(main().hash()) + "\".\"sales\".\"transactions\"", view);
    assertEquals(List.of("1|ann|10.5", "2|bob|null", "3|null|7.25"), rows("SELECT * FROM " + view + " ORDER BY id"));
    assertEquals(view, views.ensureView(main(), TX), "the view is created once and reused");
  }

  @Test
  void metricsAreExactAndPruneFiles() throws IOException {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("name", "VARCHAR"), new Column("usd", "DOUBLE"));
    DataFileSpec low = append(TX, "SELECT range, CASE WHEN range % 10 = 0 THEN NULL ELSE 'name ' || range END, range / 2 FROM range(1, 101)").get(0);
    DataFileSpec high = append(TX, "SELECT range, 'x', NULL FROM range(101, 201)").get(0);

    assertEquals(100, low.recordCount());
    assertEquals(Files.size(Path.of(low.path())), low.fileSizeInBytes());
    assertEquals(Map.of(1, 0L, 2, 10L, 3, 0L), low.nullCounts());
    assertEquals(Map.of(1, 100L, 2, 100L, 3, 100L), low.valueCounts());
    assertEquals(1L, low.lowerBounds().get(1));
    assertEquals(100L, low.upperBounds().get(1));
    assertEquals("name 1", low.lowerBounds().get(2).toString());
    assertEquals("name 99", low.upperBounds().get(2).toString());
    assertEquals(0.5, low.lowerBounds().get(3));
    assertEquals(50.0, low.upperBounds().get(3));
    assertEquals(3, low.columnSizes().size());
    assertEquals(100L, high.nullCounts().get(3));
    assertFalse(high.lowerBounds().containsKey(3), "an all-null column has no bounds");

    Table table = catalog.loadTable(At.branch("main"), TX);
    assertEquals(List.of(high.path()), plannedFiles(table, Expressions.greaterThan("id", 100)));
    assertEquals(List.of(low.path()), plannedFiles(table, Expressions.equal("name", "name 5")));
    assertEquals(2, plannedFiles(table, Expressions.alwaysTrue()).size());

    LakehouseViews.BoundScan scan = views.bindScan(main(), TX, Expressions.greaterThan("id", 150), List.of("usd", "id"));
    assertEquals(List.of(high.path()), scan.files());
    assertEquals(List.of("id", "usd"), scan.schema().columns().stream().map(Types.NestedField::name).toList());
    assertEquals(List.of("50"), rows("SELECT count(*) FROM " + scan.sql() + " t WHERE id > 150"));
  }

  @Test
  void stringBoundsAreTruncated() {
    createTable(TX, null, new Column("s", "VARCHAR"));
    DataFileSpec f = append(TX, "SELECT repeat('a', 40) UNION ALL SELECT repeat('b', 40)").get(0);
    assertEquals("a".repeat(16), f.lowerBounds().get(1).toString());
    assertEquals("b".repeat(15) + "c", f.upperBounds().get(1).toString());
  }

  @Test
  void unevenFilesAreCountedExactlySoDuckDbEstimatesTheirRows() throws Exception {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("name", "VARCHAR"));
    append(TX, "SELECT i, 'row ' || i FROM range(1, 1001) t(i)");
    append(TX, "VALUES (1001, 'last')");
    String view = views.ensureView(main(), TX);
    // DuckDB alone would take the table for 2,000 rows: its first file's 1,000, twice
    assertEquals(1001, estimatedRows("SELECT * FROM " + view));
    assertTrue(viewSql(view).contains("union_by_name = true"), viewSql(view));
    // still the table's columns, in order, and its rows in the order they were committed
    assertEquals(List.of("1|row 1", "2|row 2"), rows("SELECT * FROM " + view + " LIMIT 2"));
    assertEquals(List.of("1000|row 1000", "1001|last"), rows("SELECT * FROM " + view + " OFFSET 999"));
    assertEquals(List.of("1001|last"), rows("SELECT * FROM " + view + " WHERE name = 'last'"));

    // files of even size: DuckDB's own estimate is right, and only the first footer is opened
    TableId even = TableId.of("sales", "even");
    createTable(even, null, new Column("id", "BIGINT"));
    append(even, "VALUES (1), (2)");
    append(even, "VALUES (3), (4)");
    String evenView = views.ensureView(main(), even);
    assertEquals(4, estimatedRows("SELECT * FROM " + evenView));
    assertFalse(viewSql(evenView).contains("union_by_name"), viewSql(evenView));

    // a filtered scan over the same files reads them the same way
    LakehouseViews.BoundScan scan = views.bindScan(main(), TX, Expressions.greaterThan("id", 500L), null);
    assertTrue(scan.sql().contains("union_by_name = true"), scan.sql());
    assertEquals(List.of("501"), rows("SELECT count(*) FROM " + scan.sql() + " s WHERE id > 500"));
  }

  @Test
  void filesAnotherEngineWroteKeepTheTablesTypes() throws Exception {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("name", "VARCHAR"));
    append(TX, "VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
    // another engine's file: INT32 for the long column, text without its UTF-8 mark
    Table table = catalog.loadTable(At.branch("main"), TX);
    String location = table.location() + "/data/foreign.parquet";
    Path foreign = Path.of(DataFileStore.local().localPathFor(location));
    try (Statement s = internal.createStatement()) {
      s.execute("COPY (SELECT 2147483647::INTEGER AS id, 'zz'::BLOB AS name) TO '" + foreign + "' (FORMAT parquet)");
    }
    catalog.commit(ChangeSet.on("main").message("foreign").author("test").appendFiles(TX,
        List.of(DataFileSpec.parquet(location, Files.size(foreign), 1))));
    String view = views.ensureView(main(), TX);
    assertTrue(viewSql(view).contains("union_by_name = true"), viewSql(view));
    assertEquals(List.of("BIGINT|VARCHAR"), rows("SELECT DISTINCT typeof(id), typeof(name) FROM " + view));
    assertEquals(List.of("2147483647|zz"), rows("SELECT * FROM " + view + " WHERE id > 4"));
  }

  @Test
  void aBrokenFileFailsTheStatementsThatReadItNotItsView() throws Exception {
    createTable(TX, null, new Column("id", "BIGINT"));
    append(TX, "SELECT * FROM range(100)");
    List<DataFileSpec> second = append(TX, "VALUES (100)");
    Path broken = Path.of(DataFileStore.local().localPathFor(second.get(0).path()));
    Files.write(broken, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    String view = views.ensureView(main(), TX);
    assertFalse(viewSql(view).contains("union_by_name"), viewSql(view));
    assertThrows(EngineException.class, () -> rows("SELECT count(*) FROM " + view));
    // the view stands, and other tables keep working
    TableId other = TableId.of("sales", "other");
    createTable(other, null, new Column("id", "BIGINT"));
    append(other, "VALUES (7)");
    assertEquals(List.of("7"), rows("SELECT * FROM " + views.ensureView(main(), other)));
  }

  @Test
  void aBrokenFirstFileFailsItsTableNamingTheTableAndTheFileButNoServerPath() throws Exception {
    TableId broken = TableId.of("sales", "broken");
    createTable(broken, null, new Column("id", "BIGINT"));
    List<DataFileSpec> first = append(broken, "VALUES (1)");
    append(broken, "SELECT * FROM range(1000)");
    Path file = Path.of(DataFileStore.local().localPathFor(first.get(0).path()));
    Files.write(file, new byte[] {1, 2, 3});
    EngineException e = assertThrows(EngineException.class, () -> views.ensureView(main(), broken));
    assertTrue(e.getMessage().startsWith("table sales.broken cannot be read at commit "), e.getMessage());
    assertTrue(e.getMessage().contains("'" + file.getFileName() + "'"), e.getMessage());
    assertFalse(e.getMessage().contains(file.getParent().toString()), e.getMessage());
    assertFalse(e.getMessage().contains("CREATE"), e.getMessage());
  }

  /** DuckDB's estimate of a query's rows: the figure under its plan's top operator. */
  private long estimatedRows(String query) throws Exception {
    try (Statement s = internal.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
      assertTrue(rs.next());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("~([0-9,]+) rows?").matcher(rs.getString(2));
      assertTrue(m.find(), rs.getString(2));
      return Long.parseLong(m.group(1).replace(",", ""));
    }
  }

  private String viewSql(String qualifiedView) throws Exception {
    String name = qualifiedView.substring(qualifiedView.lastIndexOf(".\"") + 2, qualifiedView.length() - 1);
    try (Statement s = internal.createStatement();
        ResultSet rs = s.executeQuery("SELECT sql FROM duckdb_views() WHERE view_name = '" + name + "'")) {
      assertTrue(rs.next(), "no view " + qualifiedView);
      return rs.getString(1);
    }
  }

  @Test
  void schemaEvolutionReadsOldFilesByFieldId() {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("usd", "DOUBLE"));
    append(TX, "VALUES (1, 1.5), (2, 2.5)");
    ResolvedReference before = main();
    catalog.commit(ChangeSet.on("main").message("ALTER").author("test")
        .updateSchema(TX, new SchemaChange.AddColumn("country", Types.StringType.get(), null),
            new SchemaChange.RenameColumn("usd", "dollars")));
    append(TX, "VALUES (3, 3.5, 'NO')");
    String view = views.ensureView(main(), TX);
    assertEquals(List.of("1|1.5|null", "2|2.5|null", "3|3.5|NO"), rows("SELECT id, dollars, country FROM " + view + " ORDER BY id"));
    // the old commit keeps its old shape
    assertEquals(List.of("1|1.5", "2|2.5"), rows("SELECT * FROM " + views.ensureView(before, TX) + " ORDER BY id"));

    catalog.commit(ChangeSet.on("main").message("ALTER").author("test")
        .updateSchema(TX, new SchemaChange.DropColumn("dollars")));
    assertEquals(List.of("1|null", "2|null", "3|NO"), rows("SELECT * FROM " + views.ensureView(main(), TX) + " ORDER BY id"));
  }

  @Test
  void timeTravelShowsOldRowsWhileTheHeadShowsNew() {
    createTable(TX, null, new Column("id", "BIGINT"));
    append(TX, "VALUES (1)");
    ResolvedReference old = main();
    catalog.createTag("v1", At.branch("main"));
    append(TX, "VALUES (2)");
    assertEquals(List.of("1"), rows("SELECT * FROM " + views.ensureView(old, TX)));
    assertEquals(List.of("1"), rows("SELECT * FROM " + views.ensureView(catalog.resolve(At.tag("v1")), TX)));
    assertEquals(List.of("1", "2"), rows("SELECT * FROM " + views.ensureView(main(), TX) + " ORDER BY 1"));
    assertEquals(2, views.attachedCatalogs().size());
  }

  @Test
  void aTableACommitLeftAloneIsNotLoadedOrPlannedAgain() throws IOException {
    createTable(TX, null, new Column("id", "BIGINT"));
    append(TX, "VALUES (1)");
    AtomicInteger loads = new AtomicInteger();
    BranchCatalog counting = (BranchCatalog) Proxy.newProxyInstance(BranchCatalog.class.getClassLoader(),
        new Class<?>[] {BranchCatalog.class}, (proxy, method, args) -> {
          if (method.getName().equals("loadTable")) {
            loads.incrementAndGet();
          }
          try {
            return method.invoke(catalog, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (LakehouseViews remembering = new LakehouseViews(engine, counting)) {
      ResolvedReference first = main();
      assertEquals(List.of("1"), rows("SELECT * FROM " + remembering.ensureView(first, TX)));
      remembering.bindScan(first, TX, Expressions.greaterThan("id", 0), null);
      assertEquals(1, loads.get());

      // another table's commit keeps this table's metadata file: its table and plans carry over,
      // so planning reads no manifest (the table's metadata folder is moved away meanwhile)
      createTable(TableId.of("public", "other"), null, new Column("x", "INTEGER"));
      ResolvedReference second = main();
      String location = catalog.loadTable(At.branch("main"), TX).location();
      Path metadata = Path.of(DataFileStore.local().localPathFor(location)).resolve("metadata");
      Path aside = metadata.resolveSibling("metadata-aside");
      Files.move(metadata, aside);
      try {
        assertEquals(List.of("1"), rows("SELECT * FROM " + remembering.ensureView(second, TX)));
        assertEquals(1, remembering.bindScan(second, TX, Expressions.greaterThan("id", 0), null).files().size());
        assertEquals(1, loads.get());
      } finally {
        Files.move(aside, metadata);
      }

      // a commit of the table itself gives it a new metadata file, read once
      append(TX, "VALUES (2)");
      assertEquals(List.of("1", "2"), rows("SELECT * FROM " + remembering.ensureView(main(), TX) + " ORDER BY 1"));
      assertEquals(1, remembering.bindScan(main(), TX, Expressions.greaterThan("id", 1), null).files().size());
      assertEquals(2, loads.get());
      // and the first commit still reads its own files, from memory
      assertEquals(1, remembering.bindScan(first, TX, null, null).files().size());
      assertEquals(2, loads.get());
    }
  }

  @Test
  void aPlanReadsOnlyTheManifestsItsCommitWrote() throws IOException {
    createTable(TX, null, new Column("id", "BIGINT"));
    for (int i = 1; i <= 3; i++) {
      append(TX, "VALUES (" + i + ")");
    }
    assertEquals(3, views.bindScan(main(), TX, null, null).files().size());
    assertEquals(2, views.bindScan(main(), TX, Expressions.greaterThan("id", 1), null).files().size());
    Table before = catalog.loadTable(At.branch("main"), TX);
    List<Path> kept = new ArrayList<>();
    for (org.apache.iceberg.ManifestFile m : before.currentSnapshot().dataManifests(before.io())) {
      kept.add(Path.of(DataFileStore.local().localPathFor(m.path())));
    }
    assertEquals(3, kept.size(), "one manifest per append");

    append(TX, "VALUES (4)");
    // the manifests the earlier commits wrote are moved away: planning the new commit must not need them
    for (Path m : kept) {
      Files.move(m, m.resolveSibling(m.getFileName() + ".aside"));
    }
    try {
      assertEquals(4, views.bindScan(main(), TX, null, null).files().size());
      assertEquals(3, views.bindScan(main(), TX, Expressions.greaterThan("id", 1), null).files().size());
      assertEquals(List.of("1", "2", "3", "4"), rows("SELECT * FROM " + views.ensureView(main(), TX)));
      // nor does a filter not seen before: the kept manifests' files are filtered in memory
      assertEquals(2, views.bindScan(main(), TX, Expressions.greaterThan("id", 2), null).files().size());
      assertEquals(1, views.bindScan(main(), TX, Expressions.lessThan("id", 2), null).files().size());
    } finally {
      for (Path m : kept) {
        Files.move(m.resolveSibling(m.getFileName() + ".aside"), m);
      }
    }
  }

  @Test
  void rememberedManifestsPlanWhatIcebergsScanPlans() throws IOException {
    // manifests merged every third commit, files replaced, a column added, a partitioned table
    Schema schema = IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"), new Column("day", "DATE")));
    PartitionSpec byMonth = PartitionSpec.builderFor(schema).month("day").build();
    catalog.commit(ChangeSet.on("main").message("CREATE TABLE").author("test").createNamespace(TX.namespace(), true)
        .createTable(TX, schema, byMonth, Map.of("commit.manifest.min-count-to-merge", "3"), false));
    java.util.Random random = new java.util.Random(16);
    List<org.apache.iceberg.expressions.Expression> filters = List.of(Expressions.alwaysTrue(),
        Expressions.greaterThan("id", 20), Expressions.lessThan("day", "2024-03-01"),
        Expressions.and(Expressions.greaterThanOrEqual("id", 5), Expressions.lessThan("id", 30)),
        Expressions.isNull("id"));
    for (int commit = 0; commit < 30; commit++) {
      Table table = catalog.loadTable(At.branch("main"), TX);
      List<String> current = LakehouseViews.dataFiles(table, null, TX);
      String note = table.schema().findField("note") == null ? "" : ", NULL";
      int choice = random.nextInt(10);
      if (choice < 6 || current.isEmpty()) {
        int id = random.nextInt(40);
        append(TX, "VALUES (" + id + ", DATE '2024-0" + (1 + random.nextInt(5)) + "-1" + random.nextInt(10) + "'"
            + note + ")");
      } else if (choice < 9) {
        String replaced = current.get(random.nextInt(current.size()));
        List<DataFileSpec> rewritten = new DataFileWriter(internal).write(
            "SELECT id, day" + note + " FROM read_parquet(" + Sql.literal(replaced) + ") WHERE id % 2 = 0", table.schema(),
            table.spec(),
            table.location() + "/data");
        catalog.commit(ChangeSet.on("main").message("DELETE").author("test")
            .replaceFiles(TX, List.of(replaced), rewritten));
      } else if (table.schema().findField("note") == null) {
        catalog.commit(ChangeSet.on("main").message("ALTER").author("test")
            .updateSchema(TX, new SchemaChange.AddColumn("note", Types.StringType.get(), null)));
      }
      Table now = catalog.loadTable(At.branch("main"), TX);
      List<org.apache.iceberg.expressions.Expression> all = new ArrayList<>(filters);
      if (now.schema().findField("note") != null) {
        all.add(Expressions.isNull("note"));
      }
      for (org.apache.iceberg.expressions.Expression filter : all) {
        // the same files as Iceberg's scan, in the same commit order
        assertEquals(LakehouseViews.dataFiles(now, filter, TX), views.bindScan(main(), TX, filter, null).files(),
            "commit " + commit + ", filter " + filter);
      }
    }
  }

  @Test
  void aFilterIsBoundToEachBranchsOwnSchemaWhenTheirIdsAgree() {
    createTable(TX, null, new Column("a", "BIGINT"), new Column("b", "BIGINT"));
    append(TX, "VALUES (1, 100)");
    catalog.createBranch("dev", At.branch("main"));
    // both branches rename a column to x: each gets schema id 1, over the same manifest
    catalog.commit(ChangeSet.on("dev").message("ALTER").author("test")
        .updateSchema(TX, new SchemaChange.RenameColumn("a", "x")));
    catalog.commit(ChangeSet.on("main").message("ALTER").author("test")
        .updateSchema(TX, new SchemaChange.RenameColumn("b", "x")));
    ResolvedReference dev = catalog.resolve(At.branch("dev"));
    assertEquals(catalog.loadTable(At.branch("dev"), TX).schema().schemaId(),
        catalog.loadTable(At.branch("main"), TX).schema().schemaId());
    assertEquals(0, views.bindScan(dev, TX, Expressions.greaterThan("x", 50), null).files().size(), "x is 1 on dev");
    assertEquals(1, views.bindScan(main(), TX, Expressions.greaterThan("x", 50), null).files().size(),
        "x is 100 on main");
  }

  @Test
  void aWidenedPartitionColumnIsPlannedWithItsNewType() throws IOException {
    Schema schema = IcebergTypes.toSchema(List.of(new Column("k", "INTEGER"), new Column("v", "BIGINT")));
    createTable(TX, PartitionSpec.builderFor(schema).identity("k").build(),
        new Column("k", "INTEGER"), new Column("v", "BIGINT"));
    append(TX, "VALUES (1, 10)");
    append(TX, "VALUES (2, 20)");
    assertEquals(1, views.bindScan(main(), TX, Expressions.equal("k", 1), null).files().size());
    catalog.commit(ChangeSet.on("main").message("ALTER").author("test")
        .updateSchema(TX, new SchemaChange.WidenColumn("k", Types.LongType.get())));
    append(TX, "VALUES (3, 30)");
    Table widened = catalog.loadTable(At.branch("main"), TX);
    for (org.apache.iceberg.expressions.Expression filter : List.of(Expressions.greaterThan("k", 1L),
        Expressions.equal("k", 1L), Expressions.lessThan("k", 3L), Expressions.alwaysTrue())) {
      assertEquals(LakehouseViews.dataFiles(widened, filter, TX), views.bindScan(main(), TX, filter, null).files(),
          filter.toString());
    }
  }

  @Test
  void filtersThatPrintAlikeArePlannedApart() {
    createTable(TX, null, new Column("s", "VARCHAR"));
    append(TX, "VALUES ('a')");
    org.apache.iceberg.expressions.Expression oneOddValue = Expressions.in("s", "a\", \"b");
    org.apache.iceberg.expressions.Expression twoValues = Expressions.in("s", "a", "b");
    assertEquals(oneOddValue.toString(), twoValues.toString());
    assertEquals(0, views.bindScan(main(), TX, oneOddValue, null).files().size());
    assertEquals(1, views.bindScan(main(), TX, twoValues, null).files().size());
    append(TX, "VALUES ('c')"); // the first file's manifest, kept by this commit, is planned from memory
    assertEquals(0, views.bindScan(main(), TX, oneOddValue, null).files().size());
    assertEquals(1, views.bindScan(main(), TX, twoValues, null).files().size());
  }

  @Test
  void emptyTableViewHasTypedColumnsAndNoRows() {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("price", "DECIMAL(10,2)"), new Column("tags", "VARCHAR[]"));
    String view = views.ensureView(main(), TX);
    assertEquals(List.of(), rows("SELECT * FROM " + view));
    List<String> types = rows("SELECT column_type FROM (DESCRIBE " + view + ")");
    assertEquals(List.of("BIGINT", "DECIMAL(10,2)", "VARCHAR[]"), types);
  }

  @Test
  void namespacesExistBeforeAnyView() {
    catalog.commit(ChangeSet.on("main").message("CREATE SCHEMA").author("test").createNamespace("sales", false));
    String name = views.ensureNamespaces(main());
    List<String> schemas = rows("SELECT schema_name FROM information_schema.schemata WHERE catalog_name = '" + name + "' ORDER BY 1");
    assertTrue(schemas.containsAll(List.of("public", "sales")), schemas.toString());
  }

  @Test
  void ensureAllViewsCoversEveryTable() {
    createTable(TX, null, new Column("id", "BIGINT"));
    createTable(TableId.of("public", "other"), null, new Column("x", "INTEGER"));
    append(TX, "VALUES (7)");
    String name = views.ensureAllViews(main());
    assertEquals(List.of("7"), rows("SELECT * FROM \"" + name + "\".sales.transactions"));
    assertEquals(List.of(), rows("SELECT * FROM \"" + name + "\".public.other"));
  }

  @Test
  void typesRoundTrip() {
    Column[] columns = {
        new Column("b", "BOOLEAN"), new Column("i", "INTEGER"), new Column("l", "BIGINT"),
        new Column("f", "FLOAT"), new Column("d", "DOUBLE"), new Column("dec", "DECIMAL(12,3)"),
        new Column("s", "VARCHAR"), new Column("dt", "DATE"), new Column("tm", "TIME"),
        new Column("ts", "TIMESTAMP"), new Column("tz", "TIMESTAMP WITH TIME ZONE"),
        new Column("u", "UUID"), new Column("bl", "BLOB"), new Column("li", "INTEGER[]"),
        new Column("st", "STRUCT(a INTEGER, \"b c\" VARCHAR)"), new Column("m", "MAP(VARCHAR, DOUBLE)")};
    Schema schema = createTable(TX, null, columns);
    for (int i = 0; i < columns.length; i++) {
      assertEquals(columns[i].type().replace("\"", ""),
          IcebergTypes.toDuckDb(schema.columns().get(i).type()).replace("\"", ""), columns[i].name());
    }
    List<DataFileSpec> files = append(TX, "SELECT true, 42, 9000000000, 1.5::FLOAT, 2.25, 1234.567, 'héllo', DATE '2024-02-29',"
        + " TIME '12:34:56.789', TIMESTAMP '2024-03-01 10:11:12.123456', TIMESTAMPTZ '2024-03-01 10:11:12+00',"
        + " '123e4567-e89b-12d3-a456-426614174000'::UUID, '\\x00\\xFF'::BLOB, [1, NULL, 3], {'a': 1, 'b c': 'x'}, MAP {'k': 0.5}"
        + " UNION ALL SELECT false, -1, -2, -0.5, -1e300, -0.001, '', DATE '1969-12-31', TIME '00:00:00', TIMESTAMP '1960-01-01 00:00:00',"
        + " TIMESTAMPTZ '2024-03-01 23:30:00-05', NULL, NULL, [], NULL, NULL");
    DataFileSpec f = files.get(0);
    assertEquals(2, f.recordCount());
    assertEquals(true, f.upperBounds().get(1));
    assertEquals(false, f.lowerBounds().get(1));
    assertEquals(new java.math.BigDecimal("-0.001"), f.lowerBounds().get(6));
    assertEquals(new java.math.BigDecimal("1234.567"), f.upperBounds().get(6));
    assertEquals(-1, f.lowerBounds().get(8));          // 1969-12-31 as days
    assertEquals(19782, f.upperBounds().get(8));       // 2024-02-29
    assertEquals(45_296_789_000L, f.upperBounds().get(9));
    assertEquals(1709287872000000L, f.lowerBounds().get(11));   // 2024-03-01 10:11:12 UTC
    assertEquals(1709353800000000L, f.upperBounds().get(11));   // 2024-03-02 04:30:00 UTC
    // The metrics came from the statistics DuckDB's COPY returned; the written file's footer says the same.
    String local = DataFileStore.local().localPathFor(f.path());
    assertSameMetrics(assertDoesNotThrow(() -> ParquetMetrics.read(internal, local, f.fileSizeInBytes(), schema)), f);

    String view = views.ensureView(main(), TX);
    List<String> got = rows("SELECT b, i, l, f, d, dec, s, dt::VARCHAR, tm::VARCHAR, ts::VARCHAR, epoch_us(tz), u::VARCHAR,"
        + " hex(bl), li::VARCHAR, st::VARCHAR, m::VARCHAR FROM " + view + " ORDER BY i DESC");
    assertEquals(List.of(
        "true|42|9000000000|1.5|2.25|1234.567|héllo|2024-02-29|12:34:56.789|2024-03-01 10:11:12.123456|1709287872000000"
            + "|123e4567-e89b-12d3-a456-426614174000|00FF|[1, NULL, 3]|{'a': 1, 'b c': x}|{k=0.5}",
        "false|-1|-2|-0.5|-1.0E300|-0.001||1969-12-31|00:00:00|1960-01-01 00:00:00|1709353800000000|null|null|[]|null|null"),
        got);
  }

  private static void assertSameMetrics(DataFileSpec expected, DataFileSpec actual) {
    assertEquals(expected.recordCount(), actual.recordCount());
    assertEquals(expected.columnSizes(), actual.columnSizes());
    assertEquals(expected.valueCounts(), actual.valueCounts());
    assertEquals(expected.nullCounts(), actual.nullCounts());
    assertEquals(expected.lowerBounds(), actual.lowerBounds());
    assertEquals(expected.upperBounds(), actual.upperBounds());
  }

  @Test
  void metricsFromTheCopysStatisticsAreTheFootersOnes() throws Exception {
    Schema schema = createTable(TX, null,
        new Column("b", "BOOLEAN"), new Column("i", "INTEGER"), new Column("f", "FLOAT"), new Column("d", "DOUBLE"),
        new Column("dec", "DECIMAL(38,10)"), new Column("s", "VARCHAR"), new Column("dt", "DATE"),
        new Column("ts", "TIMESTAMP"), new Column("tz", "TIMESTAMP WITH TIME ZONE"), new Column("we\"ird name", "BIGINT"),
        new Column("li", "INTEGER[]"), new Column("st", "STRUCT(a INTEGER, \"b.c\" VARCHAR)"),
        new Column("m", "MAP(VARCHAR, DOUBLE)"), new Column("n", "INTEGER"));
    String rows = "SELECT true, 1, 'NaN'::FLOAT, 2.5, 123456789012345678.1234567891, 'ünïcode, longer than sixteen', DATE '2024-02-29',"
        + " TIMESTAMP '1960-01-01 00:00:00.5', TIMESTAMPTZ '2024-03-01 23:30:00-05', 7, [1, NULL], {'a': 1, 'b.c': 'x'},"
        + " MAP {'k': 0.5}, NULL::INTEGER"
        + " UNION ALL SELECT false, -2, 1.5, -1e300, -1, '', DATE '1969-12-31', TIMESTAMP '2262-04-12 00:00:00',"
        + " TIMESTAMPTZ '1970-01-01 00:00:00+00', -7, [], NULL, NULL, NULL";
    // where the writer stages files: the only place the engine may write
    String dir = DataFileStore.local().stagingDirectory(catalog.loadTable(At.branch("main"), TX).location() + "/data")
        .toString();
    try (Statement s = internal.createStatement(); ResultSet rs = s.executeQuery("COPY ("
        + DataFileWriter.projection(rows, schema) + ") TO '" + dir + "' (FORMAT parquet, FIELD_IDS "
        + IcebergTypes.fieldIdsOption(schema) + ", FILENAME_PATTERN 'f_{uuid}', FILE_SIZE_BYTES 100000000, RETURN_STATS true, APPEND)")) {
      assertTrue(rs.next());
      String path = rs.getString("filename");
      long size = java.nio.file.Files.size(Path.of(path));
      DataFileSpec fromCopy = ParquetMetrics.fromCopyStatistics(path, size, rs.getLong("count"),
          (Map<?, ?>) rs.getObject("column_statistics"), schema).orElseThrow();
      DataFileSpec footer = ParquetMetrics.read(internal, path, size, schema);
      assertEquals(2, fromCopy.recordCount());
      assertSameMetrics(footer, fromCopy);
      assertFalse(fromCopy.upperBounds().containsKey(3), "a float column holding NaN has no bounds");
      assertEquals(true, fromCopy.upperBounds().get(1));
      assertEquals(7L, fromCopy.upperBounds().get(10), "a name with a quote is found");
    }
  }

  @Test
  void mapsDuckDbTypesAndRejectsUnsupportedOnes() {
    assertEquals(Types.DecimalType.of(38, 0), IcebergTypes.toIceberg("total", "HUGEINT"));
    assertEquals(Types.IntegerType.get(), IcebergTypes.toIceberg("x", "SMALLINT"));
    assertEquals(Types.StringType.get(), IcebergTypes.toIceberg("x", "ENUM('a', 'b')"));
    assertEquals("STRUCT(\"a\" INTEGER[], \"m\" MAP(VARCHAR, STRUCT(\"x\" DOUBLE)))",
        IcebergTypes.toDuckDb(IcebergTypes.toIceberg("x", "STRUCT(a INTEGER[], m MAP(VARCHAR, STRUCT(x DOUBLE)))")));
    EngineException e = assertThrows(EngineException.class, () -> IcebergTypes.toIceberg("span", "INTERVAL"));
    assertTrue(e.getMessage().contains("\"span\"") && e.getMessage().contains("INTERVAL"), e.getMessage());
    e = assertThrows(EngineException.class, () -> IcebergTypes.toSchema(List.of(new Column("ok", "INTEGER"), new Column("u", "UNION(a INTEGER, b VARCHAR)"))));
    assertTrue(e.getMessage().contains("\"u\""), e.getMessage());

    Schema s = IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"), new Column("tags", "VARCHAR[]"), new Column("name", "VARCHAR")));
    assertEquals(List.of(1, 2, 3), s.columns().stream().map(Types.NestedField::fieldId).toList());
    assertEquals(4, ((Types.ListType) s.findType(2)).elementId());

    // what views read by name cast to: primitives Tarn knows, never nested or unknown types
    assertEquals(java.util.Optional.of("BIGINT"), IcebergTypes.knownPrimitiveToDuckDb(Types.LongType.get()));
    assertEquals(java.util.Optional.of("TIMESTAMP WITH TIME ZONE"),
        IcebergTypes.knownPrimitiveToDuckDb(Types.TimestampType.withZone()));
    assertEquals(java.util.Optional.empty(), IcebergTypes.knownPrimitiveToDuckDb(s.findType(2)));
    assertEquals(java.util.Optional.empty(), IcebergTypes.knownPrimitiveToDuckDb(Types.UnknownType.get()));
    assertEquals(java.util.Optional.empty(), IcebergTypes.knownPrimitiveToDuckDb(Types.GeometryType.crs84()));
  }

  @Test
  void arrowSchemaIsWhatDuckDbExports() {
    Schema schema = IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"), new Column("price", "DECIMAL(10,2)"),
        new Column("name", "VARCHAR"), new Column("tags", "INTEGER[]")));
    org.apache.arrow.vector.types.pojo.Schema arrow = views.arrowSchema(schema);
    assertEquals(List.of("id", "price", "name", "tags"), arrow.getFields().stream().map(f -> f.getName()).toList());
    assertEquals(new ArrowType.Int(64, true), arrow.getFields().get(0).getType());
    assertEquals(new ArrowType.Decimal(10, 2, 128), arrow.getFields().get(1).getType());
  }

  @Test
  void aValueThatDoesNotFitAPartitionedTableFailsWithDuckDbsErrorAndLeavesNothingAttached() throws Exception {
    Schema schema = IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"), new Column("k", "INTEGER")));
    createTable(TX, PartitionSpec.builderFor(schema).identity("k").build(),
        new Column("id", "BIGINT"), new Column("k", "INTEGER"));
    Table table = catalog.loadTable(At.branch("main"), TX);
    DataFileWriter writer = new DataFileWriter(internal);
    java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> writer.writeRow("VALUES (1, 5000000000)",
        table.schema().columns(), table.schema(), table.spec(), table.location() + "/data"));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    assertEquals(List.of("0"), rows("SELECT count(*) FROM duckdb_databases() WHERE database_name LIKE 'tarn_write_%'"));
    assertEquals(1, writer.writeRow("VALUES (2, 7)", table.schema().columns(), table.schema(), table.spec(),
        table.location() + "/data").size(), "the connection keeps writing");
  }

  @Test
  void partitionedWriteOneFilePerPartition() throws IOException {
    Schema schema = IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"), new Column("country", "VARCHAR"),
        new Column("ts", "TIMESTAMP WITH TIME ZONE")));
    PartitionSpec spec = PartitionSpec.builderFor(schema).identity("country").day("ts").build();
    catalog.commit(ChangeSet.on("main").message("CREATE").author("test").createNamespace("sales", true)
        .createTable(TX, schema, spec, Map.of(), false));
    List<DataFileSpec> files = append(TX, "VALUES (1, 'NO', TIMESTAMPTZ '2024-01-01 23:00:00-02'), (2, 'NO', TIMESTAMPTZ '2024-01-02 00:30:00+00'),"
        + " (3, 'US', TIMESTAMPTZ '2024-01-01 12:00:00+00'), (4, NULL, TIMESTAMPTZ '2024-01-01 12:00:00+00')");
    List<String> partitions = files.stream().map(DataFileSpec::partitionPath).sorted().toList();
    assertEquals(java.util.Set.of("country=NO/ts_day=2024-01-02", "country=US/ts_day=2024-01-01",
        "country=__HIVE_DEFAULT_PARTITION__/ts_day=2024-01-01"), java.util.Set.copyOf(partitions));
    DataFileSpec no = files.stream().filter(f -> f.partitionPath().startsWith("country=NO")).findFirst().orElseThrow();
    assertEquals(2, no.recordCount());
    assertTrue(no.path().contains("/data/country=NO/ts_day=2024-01-02/"), no.path());

    Table table = catalog.loadTable(At.branch("main"), TX);
    assertEquals(List.of(no.path()), plannedFiles(table, Expressions.equal("country", "NO")));
    assertEquals(1, plannedFiles(table, Expressions.isNull("country")).size());
    assertEquals(2, plannedFiles(table, Expressions.lessThan("ts", "2024-01-02T00:00:00+00:00")).size());
    assertEquals(List.of("1|NO", "2|NO", "3|US", "4|null"), rows("SELECT id, country FROM " + views.ensureView(main(), TX) + " ORDER BY id"));
  }

  @Test
  void dayAndHourPartitionsAreIcebergsOwnFarFromNineteenSeventy() throws IOException {
    Schema schema = IcebergTypes.toSchema(List.of(new Column("ts", "TIMESTAMP"), new Column("h", "TIMESTAMP"),
        new Column("m", "TIMESTAMP")));
    PartitionSpec spec = PartitionSpec.builderFor(schema).day("ts").hour("h").month("m").build();
    catalog.commit(ChangeSet.on("main").message("CREATE").author("test").createNamespace("sales", true)
        .createTable(TX, schema, spec, Map.of(), false));
    // microseconds beyond 2^53 (after 2255, before 1684) do not fit a DOUBLE exactly
    List<String> times = List.of("1500-06-01 12:34:56.789", "1683-12-31 23:59:59.999999", "1969-12-31 23:59:59.999999",
        "1970-01-01 00:00:00", "2024-02-29 12:00:00", "2300-01-01 23:59:59.999999", "9999-12-31 23:59:59.999999");
    Type type = Types.TimestampType.withoutZone();
    for (String time : times) {
      String literal = "TIMESTAMP '" + time + "'";
      append(TX, "VALUES (" + literal + ", " + literal + ", " + literal + ")");
      long micros = java.time.temporal.ChronoUnit.MICROS.between(java.time.LocalDateTime.of(1970, 1, 1, 0, 0),
          java.time.LocalDateTime.parse(time.replace(' ', 'T')));
      Table table = catalog.loadTable(At.branch("main"), TX);
      org.apache.iceberg.DataFile file = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
      for (int i = 0; i < spec.fields().size(); i++) {
        @SuppressWarnings("unchecked")
        org.apache.iceberg.transforms.Transform<Long, Integer> transform =
            (org.apache.iceberg.transforms.Transform<Long, Integer>) spec.fields().get(i).transform();
        assertEquals(transform.bind(type).apply(micros), file.partition().get(i, Integer.class),
            time + ", " + spec.fields().get(i).name());
      }
    }
    Table table = catalog.loadTable(At.branch("main"), TX);
    assertEquals(1, plannedFiles(table, Expressions.lessThan("ts", "2300-01-02T00:00:00")).stream()
        .filter(p -> p.contains("ts_day=2300-01-01")).count(), "the last microsecond of a day is planned with its day");
    // DuckDB's infinity has no day: refused, rather than written to a partition Iceberg would not give it
    for (String infinite : List.of("'infinity'", "'-infinity'")) {
      EngineException e = assertThrows(EngineException.class, () -> append(TX, "VALUES (TIMESTAMP '2024-01-01', "
          + "TIMESTAMP " + infinite + ", TIMESTAMP '2024-01-01')"));
      assertTrue(e.getMessage().contains("column h holds an infinite timestamp, which a table partitioned by"
          + " hour(h) cannot store"), e.getMessage());
    }
  }

  @Test
  void partitionTransformsYearMonthTruncate() throws IOException {
    Schema schema = IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"), new Column("d", "DATE"), new Column("s", "VARCHAR")));
    PartitionSpec spec = PartitionSpec.builderFor(schema).month("d").truncate("id", 10).truncate("s", 2).build();
    catalog.commit(ChangeSet.on("main").message("CREATE").author("test").createNamespace("sales", true)
        .createTable(TX, schema, spec, Map.of(), false));
    List<DataFileSpec> files = append(TX, "VALUES (-3, DATE '1969-12-05', 'abc'), (15, DATE '2024-02-29', 'abd'), (19, DATE '2024-02-01', 'ab')");
    assertEquals(List.of("d_month=-1/id_trunc=-10/s_trunc=ab", "d_month=649/id_trunc=10/s_trunc=ab"),
        files.stream().map(DataFileSpec::partitionPath).sorted().toList());
    assertTrue(files.stream().anyMatch(f -> f.path().contains("/d_month=1969-12/id_trunc=-10/s_trunc=ab/")));
    Table table = catalog.loadTable(At.branch("main"), TX);
    assertEquals(1, plannedFiles(table, Expressions.greaterThan("d", "2000-01-01")).size());
    assertEquals(List.of("-3|abc", "15|abd", "19|ab"), rows("SELECT id, s FROM " + views.ensureView(main(), TX) + " ORDER BY id"));
    PartitionSpec yearly = PartitionSpec.builderFor(schema).bucket("id", 4).build();
    EngineException e = assertThrows(EngineException.class, () -> new DataFileWriter(internal)
        .write("VALUES (1, DATE '2024-01-01', 'x')", schema, yearly, warehouse.resolve("x").toString()));
    assertTrue(e.getMessage().contains("bucket"), e.getMessage());
  }

  @Test
  void scratchTablesDriveDeleteAndUpdateRewrites() throws Exception {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("name", "VARCHAR"));
    DataFileSpec a = append(TX, "VALUES (1, 'a'), (2, 'b')").get(0);
    DataFileSpec b = append(TX, "VALUES (3, 'c'), (4, 'd')").get(0);
    Table table = catalog.loadTable(At.branch("main"), TX);
    List<String> current = LakehouseViews.dataFiles(table, null, TX);
    try (ScratchTable scratch = ScratchTable.loadedWith(internal, "transactions", table.schema(), current)) {
      assertEquals(4, scratch.count());
      List<String> changed = new ArrayList<>();
      try (Statement s = internal.createStatement();
          ResultSet rs = s.executeQuery("DELETE FROM " + scratch.name() + " WHERE id = 3 RETURNING " + ScratchTable.FILE_COLUMN)) {
        while (rs.next()) {
          changed.add(rs.getString(1));
        }
      }
      assertEquals(List.of(b.path()), changed);
      List<DataFileSpec> rewritten = new DataFileWriter(internal)
          .write(scratch.selectRowsFrom(changed), table.schema(), table.spec(), table.location() + "/data");
      catalog.commit(ChangeSet.on("main").message("DELETE").author("test").replaceFiles(TX, changed, rewritten));
    }
    assertEquals(List.of("1|a", "2|b", "4|d"), rows("SELECT * FROM " + views.ensureView(main(), TX) + " ORDER BY id"));
    assertEquals(2, LakehouseViews.dataFiles(catalog.loadTable(At.branch("main"), TX), null, TX).size());
    assertTrue(LakehouseViews.dataFiles(catalog.loadTable(At.branch("main"), TX), null, TX).contains(a.path()));

    // INSERT through an empty scratch table, CTAS-style write of its rows
    try (ScratchTable scratch = ScratchTable.create(internal, "transactions", table.schema())) {
      try (Statement s = internal.createStatement()) {
        s.execute("INSERT INTO " + scratch.name() + " (name, id) VALUES ('e', 5)");
      }
      catalog.commit(ChangeSet.on("main").message("INSERT").author("test").appendFiles(TX,
          new DataFileWriter(internal).write(scratch.selectRows(), table.schema(), table.spec(), table.location() + "/data")));
      String name = scratch.catalogName();
      scratch.close();
      try (Statement s = internal.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_databases() WHERE database_name = '" + name + "'")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "closing detaches the scratch catalog");
      }
    }
    assertEquals(List.of("1|a", "2|b", "4|d", "5|e"), rows("SELECT * FROM " + views.ensureView(main(), TX) + " ORDER BY id"));
  }

  @Test
  void largeWritesRollOverFilesAndEmptyWritesWriteNothing() {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("pad", "VARCHAR"));
    Table table = catalog.loadTable(At.branch("main"), TX);
    List<DataFileSpec> files = new DataFileWriter(internal).targetFileSize(200_000)
        .write("SELECT range, md5(range::VARCHAR) FROM range(300000)", table.schema(), table.spec(), table.location() + "/data");
    assertTrue(files.size() > 1, "several files: " + files.size());
    assertEquals(300_000, files.stream().mapToLong(DataFileSpec::recordCount).sum());
    assertEquals(List.of(), new DataFileWriter(internal)
        .write("SELECT range, 'x' FROM range(0)", table.schema(), table.spec(), table.location() + "/data"));
    EngineException e = assertThrows(EngineException.class, () -> new DataFileWriter(internal)
        .write("SELECT 1", table.schema(), table.spec(), table.location() + "/data"));
    assertTrue(e.getMessage().contains("1 columns but the table has 2"), e.getMessage());
  }

  @Test
  void filesAreSnappyUnlessTheTableAsksForAnotherCodec() throws Exception {
    TableId zstd = TableId.of("sales", "archived");
    createTable(TX, null, new Column("id", "BIGINT"));
    catalog.commit(ChangeSet.on("main").message("CREATE TABLE " + zstd).author("test")
        .createTable(zstd, IcebergTypes.toSchema(List.of(new Column("id", "BIGINT"))), PartitionSpec.unpartitioned(),
            Map.of(DataFileWriter.COMPRESSION_PROPERTY, "ZSTD"), false));
    assertEquals("SNAPPY", codecOf(append(TX, "SELECT range FROM range(10)").get(0)));
    Table archived = catalog.loadTable(At.branch("main"), zstd);
    DataFileSpec written = new DataFileWriter(internal).compressionOf(archived)
        .write("SELECT range FROM range(10)", archived.schema(), archived.spec(), archived.location() + "/data").get(0);
    assertEquals("ZSTD", codecOf(written));
  }

  private String codecOf(DataFileSpec file) throws Exception {
    try (java.sql.Statement s = internal.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT DISTINCT compression FROM parquet_metadata("
            + Sql.literal(DataFileStore.local().localPathFor(file.path())) + ")")) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  void leastRecentlyUsedCommitCatalogsAreDetachedUnlessPinned() {
    try (LakehouseViews small = new LakehouseViews(engine, catalog, 2)) {
      createTable(TX, null, new Column("id", "BIGINT"));
      List<ResolvedReference> commits = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        append(TX, "VALUES (" + i + ")");
        commits.add(main());
      }
      try (LakehouseViews.Pin pin = small.pin(commits.get(0))) {
        String first = small.ensureView(commits.get(0), TX);
        small.ensureView(commits.get(1), TX);
        small.ensureView(commits.get(2), TX);
        small.ensureView(commits.get(3), TX);
        assertTrue(small.attachedCatalogs().contains(pin.catalogName()), "a pinned catalog stays");
        assertEquals(List.of("0"), rows("SELECT * FROM " + first));
      }
      assertEquals(2, small.attachedCatalogs().size());
      assertFalse(small.attachedCatalogs().contains(LakehouseViews.catalogName(commits.get(1).hash())),
          "the least recently used unpinned catalog was detached");
      // detached ones come back on demand
      assertEquals(List.of("0", "1"), rows("SELECT * FROM " + small.ensureView(commits.get(1), TX) + " ORDER BY 1"));
      assertEquals(2, small.attachedCatalogs().size());
    }
  }

  @Test
  void createTableAsSelectFromAView() {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("usd", "DOUBLE"), new Column("country", "VARCHAR"));
    append(TX, "VALUES (1, 10.0, 'NO'), (2, 5.0, 'NO'), (3, 7.5, 'US')");
    String source = views.ensureView(main(), TX);
    String query = "SELECT country, sum(id) AS ids, sum(usd) AS total, list(id ORDER BY id) AS members FROM " + source + " GROUP BY country";
    List<Column> columns = IcebergTypes.describe(internal, query);
    assertEquals(new Column("ids", "HUGEINT"), columns.get(1));
    Schema schema = IcebergTypes.toSchema(columns);
    List<DataFileSpec> files = new DataFileWriter(internal).write(query, schema, PartitionSpec.unpartitioned(),
        warehouse.resolve("tables").resolve("sales").resolve("totals_data").toString());
    TableId totals = TableId.of("sales", "totals");
    catalog.commit(ChangeSet.on("main").message("CREATE TABLE AS").author("test")
        .createTable(totals, schema).appendFiles(totals, files));
    assertEquals(List.of("NO|3|15.0|[1, 2]", "US|3|7.5|[3]"),
        rows("SELECT country, ids, total, members::VARCHAR FROM " + views.ensureView(main(), totals) + " ORDER BY country"));
    assertEquals(List.of("DECIMAL(38,0)"), rows("SELECT typeof(ids) FROM " + views.ensureView(main(), totals) + " LIMIT 1"));
  }

  @Test
  void concurrentSessionsShareViews() throws Exception {
    createTable(TX, null, new Column("id", "BIGINT"));
    append(TX, "SELECT range FROM range(1000)");
    ResolvedReference at = main();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          String view = views.ensureView(at, TX);
          try (EngineSession s = engine.openSession();
              RowStream r = (RowStream) s.newExecution("SELECT sum(id) FROM " + view, List.of(), allocator).run()) {
            r.next();
            return String.valueOf(r.root().getVector(0).getObject(0));
          }
        }));
      }
      for (java.util.concurrent.Future<String> f : results) {
        assertEquals("499500", f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, views.attachedCatalogs().size());
  }

  @Test
  void describesColumnsTypesAndQueriesForDdl() {
    assertEquals(List.of(new Column("id", "BIGINT"), new Column("name", "VARCHAR"), new Column("tags", "INTEGER[]")),
        IcebergTypes.describeColumns(internal, "(id INT8, name TEXT, tags INT[])"));
    assertEquals(List.of(new Column("d", "DECIMAL(10,2)")), IcebergTypes.describeColumns(internal, "d NUMERIC(10, 2)"));
    assertEquals("INTEGER", IcebergTypes.describeType(internal, "int"));
    assertThrows(EngineException.class, () -> IcebergTypes.describeType(internal, "nosuchtype"));
  }

  @Test
  void scratchFromQueryResolvesInTheCommitCatalogAndSessionsCanUseIt() {
    createTable(TX, null, new Column("id", "BIGINT"), new Column("usd", "DOUBLE"));
    append(TX, "VALUES (1, 2.5), (2, 3.5)");
    String lake = views.ensureNamespaces(main());
    views.ensureView(main(), TX);
    session.useCatalog(lake);
    session.useSchema("sales");
    long count = session.withConnection(c -> {
      try (ScratchTable scratch = ScratchTable.fromQuery(c, "t", "SELECT id, usd * 2 AS twice, sum(id) OVER () AS s FROM transactions;", lake)) {
        assertEquals(List.of("id", "twice", "s"), scratch.schema().columns().stream().map(Types.NestedField::name).toList());
        assertEquals(Types.DecimalType.of(38, 0), scratch.schema().findType("s"));
        return scratch.count();
      }
    });
    assertEquals(2, count);
    assertEquals(lake, session.currentCatalog());
    assertEquals(List.of("1|2.5", "2|3.5"), rows("SELECT * FROM transactions ORDER BY id"));
    session.useSchema("public");
    session.useCatalog(DuckDbEngine.CATALOG);
    assertEquals(List.of(DuckDbEngine.CATALOG + "|public"), rows("SELECT current_database(), current_schema()"));
    assertThrows(EngineException.class, () -> session.useSchema("nope"));
  }
}
