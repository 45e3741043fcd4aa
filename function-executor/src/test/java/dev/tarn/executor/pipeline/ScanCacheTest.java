package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.SchemaChange;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.lakehouse.LakehouseViews;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan cache in real runs: Python models declaring columns and filters, the embedded catalog,
 * DuckDB and model processes receiving the cache's files. That a scan reads no Parquet is shown by
 * moving the data files away before it: the run only succeeds if it never opens them. Every cached
 * run's output is compared with the same run's without the cache.
 */
class ScanCacheTest {
  static final TableId TRANSACTIONS = TableId.of("public", "transactions");
  static final String SCAN = "scan:public.transactions";

  @TempDir Path warehouse;
  @TempDir Path hidden;
  TestLakehouse lake;
  ScanCache cache;

  @BeforeEach
  void open() {
    lake = new TestLakehouse(warehouse);
    lake.seedTransactions(TRANSACTIONS);
    cache = new ScanCache(lake.engine, ScanCache.DEFAULT_BUDGET_BYTES);
  }

  @AfterEach
  void close() throws Exception {
    cache.close();
    lake.close();
  }

  /** A project with one materialized model {@code name} returning its input as read. */
  private Path scanProject(String name, String columns, String filter) {
    String input = "tarn.Model(\"transactions\"" + (columns == null ? "" : ", columns=" + columns)
        + (filter == null ? "" : ", filter=\"" + filter + "\"") + ")";
    Path dir = warehouse.resolveSibling(warehouse.getFileName() + "-projects").resolve(name);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("m.py"), """
          import tarn

          @tarn.model(materialize=True)
          @tarn.python("3.11")
          def %s(data=%s):
              return data
          """.formatted(name, input));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  private PipelineRunner runner(ScanCache with) {
    return new PipelineRunner(lake.catalog, lake.engine, lake.views, TestLakehouse.environments(),
        lake.python, null, FrontendSqlInspector.INSTANCE, 2, with);
  }

  private RunRecord run(ScanCache with, Path project) {
    RunRecord run = runner(with).run(PipelineRunnerTest.request(project, "main", false, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    return run;
  }

  /** The model's table after a run, every row in order. */
  private List<String> output(String model) {
    return lake.rows("main", TableId.of("public", model), "SELECT * FROM {table} ORDER BY ALL");
  }

  /** Runs the project without the cache and returns what it wrote: the rows every cached run must equal. */
  private List<String> uncached(Path project, String model) {
    try (ScanCache off = ScanCache.off()) {
      run(off, project);
    }
    return output(model);
  }

  private String detail(RunRecord run) {
    return PipelineRunnerTest.step(run, SCAN).detail();
  }

  /** The local paths of the table's data files at main's head whose path contains {@code part} (all for ""). */
  private List<Path> dataFiles(String part) {
    Table table = lake.catalog.loadTable(At.branch("main"), TRANSACTIONS);
    return LakehouseViews.dataFiles(table, null, TRANSACTIONS).stream().filter(p -> p.contains(part))
        .map(Path::of).toList();
  }

  /** Moves files away (so reading them fails) and returns how to put them back. */
  private AutoCloseable hide(List<Path> files) throws IOException {
    List<Path[]> moved = new ArrayList<>();
    for (Path f : files) {
      Path to = hidden.resolve(moved.size() + "-" + f.getFileName());
      Files.move(f, to);
      moved.add(new Path[] {to, f});
    }
    return () -> {
      for (Path[] m : moved) {
        Files.move(m[0], m[1], StandardCopyOption.REPLACE_EXISTING);
      }
    };
  }

  @Test
  void narrowerColumnsReadNoParquet() throws Exception {
    Path wide = scanProject("wide", "[\"id\", \"usd\", \"country\"]", "eventTime >= '2023-02-01'");
    Path narrow = scanProject("narrow", "[\"usd\", \"id\"]", "eventTime >= '2023-02-01'");
    List<String> expected = uncached(narrow, "narrow");
    assertEquals(List.of("1.0|8", "2.0|9", "5.0|7", "50.0|6"), expected);

    RunRecord first = run(cache, wide);
    assertTrue(detail(first).endsWith("read 2 of 3 data files (0 from cache)"), detail(first));
    try (AutoCloseable gone = hide(dataFiles(""))) {
      RunRecord second = run(cache, narrow);
      assertEquals("columns usd, id (and eventTime for the filter); filter eventTime >= '2023-02-01'; "
          + "read 2 of 3 data files (2 from cache)", detail(second));
      assertEquals(4, PipelineRunnerTest.step(second, SCAN).rows());
    }
    assertEquals(expected, output("narrow"));
    assertEquals(2, cache.stats().fragments());
  }

  @Test
  void widerRangeReadsOnlyTheNewFiles() throws Exception {
    Path january = scanProject("january", "[\"id\", \"usd\"]", "eventTime < '2023-02-01'");
    Path quarter = scanProject("quarter", "[\"id\", \"usd\"]", "eventTime < '2023-04-01'");
    List<String> expected = uncached(quarter, "quarter");
    assertEquals(9, expected.size());

    run(cache, january);
    assertEquals(1, cache.stats().misses());
    RunRecord wider = run(cache, quarter);
    assertTrue(detail(wider).endsWith("read 3 of 3 data files (1 from cache)"), detail(wider));
    assertEquals(3, cache.stats().misses(), "only February's and March's files were read into the cache");
    assertEquals(expected, output("quarter"));
    try (AutoCloseable gone = hide(dataFiles(""))) {
      RunRecord again = run(cache, quarter);
      assertTrue(detail(again).endsWith("read 3 of 3 data files (3 from cache)"), detail(again));
    }
    assertEquals(expected, output("quarter"));

    // wider columns: the cached files are read again with the union of the columns, then serve both
    Path withCountry = scanProject("with_country", "[\"id\", \"country\"]", null);
    RunRecord widerColumns = run(cache, withCountry);
    assertTrue(detail(widerColumns).endsWith("(0 from cache)"), detail(widerColumns));
    try (AutoCloseable gone = hide(dataFiles(""))) {
      RunRecord both = run(cache, quarter);
      assertTrue(detail(both).endsWith("read 3 of 3 data files (3 from cache)"), detail(both));
    }
    assertEquals(expected, output("quarter"));
    assertEquals(3, cache.stats().fragments(), "replaced fragments are deleted");
  }

  @Test
  void filesOnlyPartlyInsideTheFilterAreFilteredEveryTime() throws Exception {
    // January's file straddles the bound: it is read through DuckDB with the filter on every run
    Path mid = scanProject("mid", "[\"id\", \"usd\"]", "eventTime >= '2023-01-15'");
    List<String> expected = uncached(mid, "mid");
    assertEquals(List.of("4|3.0", "5|100.0", "6|50.0", "7|5.0", "8|1.0", "9|2.0"), expected);
    run(cache, mid);
    RunRecord again = run(cache, mid);
    assertTrue(detail(again).endsWith("read 3 of 3 data files (2 from cache)"), detail(again));
    assertEquals(expected, output("mid"));
    try (AutoCloseable gone = hide(dataFiles("2023-01"))) {
      assertEquals(RunRecord.Status.FAILED, runner(cache).run(PipelineRunnerTest.request(mid, "main", false,
          Map.of()), RunListener.NONE).status(), "the boundary file is never taken from the cache");
    }
  }

  @Test
  void aFilterIcebergCannotCheckWholeIsAppliedToEveryFileAtEveryRun() {
    // the Iceberg form keeps only the date condition, which every row of February and March meets;
    // the other condition drops a row of March (8, FR). No file is handed over unfiltered, not even
    // one whose every row the filter keeps: what DuckDB answered about a file once (here February's,
    // ES and IT) need not hold at the next run (now(), random()), on another branch, or for
    // COLUMNS(*) over more columns than the filter names
    Path some = scanProject("some", "[\"id\", \"country\"]",
        "eventTime >= '2023-02-01' AND upper(country) <> 'FR'");
    Path all = scanProject("all_of_them", "[\"id\", \"country\"]", "eventTime >= '2023-02-01'");
    List<String> expected = uncached(some, "some");
    assertEquals(List.of("6|ES", "7|IT", "9|JP"), expected);
    run(cache, all);
    for (int i = 0; i < 2; i++) {
      RunRecord filtered = run(cache, some);
      assertTrue(detail(filtered).endsWith("read 2 of 3 data files (0 from cache)"), detail(filtered));
      assertEquals(expected, output("some"));
    }
  }

  @Test
  void aNestedFieldAddedAgainIsANewShapeAPrimitiveColumnIsItsType() {
    // a struct whose sub-field was dropped and added again under the same name and type: DuckDB
    // reads both alike, but the old fragment holds the dropped field's values
    Types.StructType before = Types.StructType.of(Types.NestedField.optional(5, "note", Types.StringType.get()));
    Types.StructType after = Types.StructType.of(Types.NestedField.optional(9, "note", Types.StringType.get()));
    assertEquals(dev.tarn.executor.lakehouse.IcebergTypes.toDuckDb(before),
        dev.tarn.executor.lakehouse.IcebergTypes.toDuckDb(after));
    assertNotEquals(ScanCache.shape(before), ScanCache.shape(after));
    assertEquals(ScanCache.shape(before), ScanCache.shape(
        Types.StructType.of(Types.NestedField.optional(5, "note", Types.StringType.get()))));
    assertEquals("BIGINT", ScanCache.shape(Types.LongType.get()));
  }

  @Test
  void sqlModelsReadTheScanAsWithoutTheCache() {
    Path dir = warehouse.resolveSibling(warehouse.getFileName() + "-projects").resolve("mixed");
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("by_country.sql"),
          "SELECT country, sum(usd) AS usd FROM transactions GROUP BY country ORDER BY country");
      Files.writeString(dir.resolve("m.py"), """
          import tarn

          @tarn.model(materialize=True)
          @tarn.python("3.11")
          def top(data=tarn.Model("by_country"), raw=tarn.Model("transactions", columns=["id", "country"])):
              return data
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> expected = uncached(dir, "top");
    run(cache, dir);
    run(cache, dir);
    assertEquals(expected, output("top"));
  }

  @Test
  void allColumnsWithoutFilterMatchesTheUncachedRun() {
    Path all = scanProject("everything", null, null);
    List<String> expected = uncached(all, "everything");
    run(cache, all);
    RunRecord again = run(cache, all);
    assertTrue(detail(again).endsWith("read 3 of 3 data files (3 from cache)"), detail(again));
    assertEquals(expected, output("everything"));
  }

  @Test
  void aTinyBudgetEvictsAndStillGivesTheSameRows() {
    Path wide = scanProject("wide", "[\"id\", \"usd\", \"country\"]", null);
    Path narrow = scanProject("narrow", "[\"usd\"]", "eventTime >= '2023-02-01'");
    List<String> expectedWide = uncached(wide, "wide");
    List<String> expectedNarrow = uncached(narrow, "narrow");
    run(cache, wide);
    long allThree = cache.stats().usedBytes();
    // about one and a half of the wide run's fragments: each run evicts what the one before cached
    long budget = allThree / 2;
    try (ScanCache tiny = new ScanCache(lake.engine, budget)) {
      for (int i = 0; i < 3; i++) {
        run(tiny, wide);
        assertEquals(expectedWide, output("wide"));
        assertTrue(tiny.stats().fragments() < 3, tiny.stats().toString());
        run(tiny, narrow);
        assertEquals(expectedNarrow, output("narrow"));
        RunRecord again = run(tiny, narrow);
        assertEquals(expectedNarrow, output("narrow"));
        assertTrue(detail(again).contains("from cache"), detail(again));
        ScanCache.Stats stats = tiny.stats();
        assertTrue(stats.usedBytes() <= budget, stats.toString());
      }
    }
    try (ScanCache nothingFits = new ScanCache(lake.engine, 1)) {
      run(nothingFits, wide);
      RunRecord run = run(nothingFits, wide);
      assertTrue(detail(run).endsWith("(0 from cache)"), detail(run));
      assertEquals(expectedWide, output("wide"));
      assertEquals(0, nothingFits.stats().fragments());
    }
  }

  @Test
  void aColumnAddedLaterIsNullInOlderFilesAndRenamesKeepTheCache() throws Exception {
    Path before = scanProject("before", "[\"id\", \"usd\"]", null);
    run(cache, before);
    lake.catalog.commit(ChangeSet.on("main").message("ALTER TABLE").author("test")
        .updateSchema(TRANSACTIONS, new SchemaChange.AddColumn("note", Types.StringType.get(), null)));
    lake.insert(TRANSACTIONS, "SELECT 10, 4.5, 'NL', TIMESTAMP '2023-04-02 00:00:00', 'late'");

    Path withNote = scanProject("with_note", "[\"id\", \"note\"]", null);
    List<String> expected = uncached(withNote, "with_note");
    assertEquals("1|null", expected.get(0));
    assertEquals("10|late", expected.get(9));
    RunRecord run = run(cache, withNote);
    assertTrue(detail(run).endsWith("read 4 of 4 data files (0 from cache)"), detail(run));
    assertEquals(expected, output("with_note"));

    // a renamed column is the same field: its cached values serve the new name
    lake.catalog.commit(ChangeSet.on("main").message("ALTER TABLE").author("test")
        .updateSchema(TRANSACTIONS, new SchemaChange.RenameColumn("note", "remark")));
    Path renamed = scanProject("renamed", "[\"id\", \"remark\"]", null);
    try (AutoCloseable gone = hide(dataFiles(""))) {
      RunRecord again = run(cache, renamed);
      assertTrue(detail(again).endsWith("read 4 of 4 data files (4 from cache)"), detail(again));
    }
    assertEquals(expected, output("renamed"));
  }

  @Test
  void filesRemovedByALaterCommitAreNotRead() {
    Path all = scanProject("everything", "[\"id\", \"country\"]", null);
    run(cache, all);
    Path march = dataFiles("2023-03").get(0);
    lake.catalog.commit(ChangeSet.on("main").message("DELETE").author("test")
        .deleteFiles(TRANSACTIONS, List.of(march.toString())));

    RunRecord after = run(cache, all);
    assertTrue(detail(after).endsWith("read 2 of 2 data files (2 from cache)"), detail(after));
    List<String> cached = output("everything");
    assertEquals(7, cached.size());
    assertFalse(cached.contains("8|FR"), cached.toString());
    assertEquals(cached, uncached(all, "everything"));
  }

  @Test
  void concurrentRunsShareTheCache() throws Exception {
    Path a = scanProject("a", "[\"id\", \"usd\"]", null);
    Path b = scanProject("b", "[\"id\", \"usd\", \"country\"]", "eventTime >= '2023-02-01'");
    List<String> expectedA = uncached(a, "a");
    List<String> expectedB = uncached(b, "b");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 2; i++) {
        Future<RunRecord> ra = pool.submit(() -> run(cache, a));
        Future<RunRecord> rb = pool.submit(() -> run(cache, b));
        ra.get();
        rb.get();
        assertEquals(expectedA, output("a"));
        assertEquals(expectedB, output("b"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(cache.stats().hits() > 0, cache.stats().toString());
    assertTrue(cache.stats().usedBytes() > 0, cache.stats().toString());
  }

  /** A fragment as "rows|sum of id|its columns", read back as a Python model maps it. */
  private static String fragment(Path arrowFile) throws IOException {
    try (RootAllocator allocator = new RootAllocator();
        FileChannel channel = FileChannel.open(arrowFile);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      long rows = 0;
      long sum = 0;
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        BigIntVector id = (BigIntVector) root.getVector("f_1");
        for (int i = 0; i < root.getRowCount(); i++) {
          sum += id.get(i);
        }
        rows += root.getRowCount();
      }
      List<String> fields = reader.getVectorSchemaRoot().getSchema().getFields().stream().map(Field::getName).toList();
      return rows + "|" + sum + "|" + fields;
    }
  }

  /** What {@link #fragment} must say of a data file, asked of DuckDB reading the file alone. */
  private String expectedFragment(Path dataFile, String fields) {
    return lake.rows("SELECT count(*) || '|' || sum(id) FROM read_parquet('" + dataFile + "')").get(0) + "|" + fields;
  }

  @Test
  void filesReadTogetherEachGetTheirOwnRowsAndAFailedReadNamesItsFile() throws Exception {
    Table table = lake.catalog.loadTable(At.branch("main"), TRANSACTIONS);
    org.apache.iceberg.Schema schema = table.schema();
    List<Path> files = dataFiles("");
    assertEquals(3, files.size());
    List<ScanCache.Wanted> wanted = files.stream()
        .map(f -> new ScanCache.Wanted("file:" + f, f.toString())).toList();
    Path broken = warehouse.resolve("tables").resolve("broken.parquet");
    Files.createDirectories(broken.getParent());
    Files.writeString(broken, "not parquet");
    List<ScanCache.Wanted> withBroken = new ArrayList<>(wanted);
    withBroken.add(1, new ScanCache.Wanted("file:" + broken, broken.toString()));

    // one query over the four files fails; read one by one, the error names the broken file and the
    // file before it is kept
    try (ScanCache.Lease lease = cache.lease()) {
      StepFailedException e = assertThrows(StepFailedException.class,
          () -> lease.takeAll(withBroken, schema.select("id", "usd"), schema));
      assertTrue(e.getMessage().contains("broken.parquet"), e.getMessage());
    }
    assertEquals(1, cache.stats().fragments(), cache.stats().toString());

    try (ScanCache.Lease lease = cache.lease()) {
      // two files read by one query, their rows in one batch: each fragment holds only its file's rows
      List<ScanCache.CachedFile> taken = lease.takeAll(wanted, schema.select("id", "usd"), schema);
      assertEquals(List.of(true, false, false), taken.stream().map(ScanCache.CachedFile::fromCache).toList());
      for (int i = 0; i < 3; i++) {
        assertEquals(expectedFragment(files.get(i), "[f_1, f_2]"), fragment(taken.get(i).file()));
      }

      // the first file's fragment gains country; then asking for eventTime gives the files two
      // column sets (their older fragments differ), so two queries
      lease.takeAll(wanted.subList(0, 1), schema.select("id", "country"), schema);
      taken = lease.takeAll(wanted, schema.select("id", "eventTime"), schema);
      assertEquals(List.of(false, false, false), taken.stream().map(ScanCache.CachedFile::fromCache).toList());
      assertEquals(expectedFragment(files.get(0), "[f_1, f_2, f_3, f_4]"), fragment(taken.get(0).file()));
      assertEquals(expectedFragment(files.get(1), "[f_1, f_2, f_4]"), fragment(taken.get(1).file()));
      assertEquals(expectedFragment(files.get(2), "[f_1, f_2, f_4]"), fragment(taken.get(2).file()));
      assertEquals(3, cache.stats().fragments());
    }

    // the broken file's query fails first: no later file's fragment is replaced, and they still serve
    try (ScanCache.Lease lease = cache.lease()) {
      StepFailedException e = assertThrows(StepFailedException.class,
          () -> lease.takeAll(withBroken, schema.select("id", "usd"), schema));
      assertTrue(e.getMessage().contains("broken.parquet"), e.getMessage());
    }
    assertEquals(3, cache.stats().fragments());
    try (ScanCache.Lease lease = cache.lease();
        AutoCloseable gone = hide(files)) {
      assertEquals(List.of(true, true, true), lease.takeAll(wanted, schema.select("id", "eventTime"), schema)
          .stream().map(ScanCache.CachedFile::fromCache).toList());
    }
  }
}
