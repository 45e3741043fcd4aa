package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.pipeline.StepRecord.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.PartitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real runs: embedded catalog, DuckDB, uv environments and Python model processes. */
class PipelineRunnerTest {
  static final TableId TRANSACTIONS = TableId.of("public", "transactions");
  static final TableId USD_BY_COUNTRY = TableId.of("public", "usd_by_country");

  @TempDir Path warehouse;
  TestLakehouse lake;

  @BeforeEach
  void open() {
    lake = new TestLakehouse(warehouse);
    lake.seedTransactions(TRANSACTIONS);
    lake.catalog.createBranch("dev", At.branch("main"));
  }

  @AfterEach
  void close() throws Exception {
    lake.close();
  }

  static RunRequest request(Path project, String branch, boolean dryRun, Map<String, String> parameters) {
    return new RunRequest(project, project.getFileName().toString(), branch, dryRun, parameters, "ann");
  }

  static StepRecord step(RunRecord run, String id) {
    return run.steps().stream().filter(s -> s.step().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + id + " in " + run.steps()));
  }

  private void assertSeedRun(String project) {
    String devBefore = lake.head("dev");
    int commitsBefore = lake.commits("dev");
    List<RunRecord> heard = new CopyOnWriteArrayList<>();
    RunRecord run = lake.runner(4).run(request(PipelinePlannerTest.project(project), "dev", false, Map.of()),
        heard::add);

    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    assertNull(run.error());
    assertEquals(devBefore, run.targetHashBefore());
    assertEquals(commitsBefore + 1, lake.commits("dev"), "the run lands as one commit");
    assertEquals(run.mergeCommit(), lake.head("dev"));
    assertTrue(lake.tableExists("dev", USD_BY_COUNTRY));
    assertFalse(lake.tableExists("main", USD_BY_COUNTRY), "main is not the target");
    assertEquals(PipelineRunner.RUN_BRANCH_PREFIX + run.id(), run.runBranch());
    assertTrue(lake.catalog.findReference(run.runBranch()).isEmpty(), "the run branch is deleted after the merge");

    List<String> expected = lake.rows("main", TRANSACTIONS, "SELECT country, sum(usd) FROM {table} "
        + "WHERE eventTime BETWEEN '2023-01-01' AND '2023-02-01' AND country IN ('IT', 'FR', 'DE', 'ES') "
        + "GROUP BY country ORDER BY country");
    assertEquals(List.of("DE|100.0", "FR|20.5", "IT|13.0"), expected);
    assertEquals(expected, lake.rows("dev", USD_BY_COUNTRY, "SELECT country, usd FROM {table} ORDER BY country"));

    StepRecord scan = step(run, "scan:public.transactions");
    assertEquals(Status.SUCCEEDED, scan.status());
    assertEquals(5, scan.rows());
    assertTrue(scan.detail().contains("columns id, usd, country"), scan.detail());
    assertTrue(scan.detail().contains("read 1 of 3 data files"), scan.detail());
    StepRecord euro = step(run, "euro_selection");
    assertEquals(4, euro.rows());
    assertNotNull(euro.environment());
    assertEquals("python", euro.kind());
    StepRecord materialize = step(run, "materialize:usd_by_country");
    assertEquals("public.usd_by_country", materialize.materializedAs());
    assertEquals(3, materialize.rows());
    assertTrue(run.steps().stream().allMatch(s -> s.status() == Status.SUCCEEDED), run.steps().toString());
    assertEquals(List.of(), lake.rows("SELECT database_name FROM duckdb_databases() "
        + "WHERE database_name LIKE 'tarn_run_%'"), "the run's database is detached");
    assertEquals(RunRecord.Status.RUNNING, heard.get(0).status());
    assertEquals(run, heard.get(heard.size() - 1), "the listener hears the final record");
  }

  @Test
  void seedPipelineMergesIntoDev() {
    assertSeedRun("seed");
  }

  @Test
  void bauplanProjectRunsUnchanged() {
    assertSeedRun("seed_bauplan");
  }

  // ---- more projects ----

  /** A project folder written from file name to content. */
  private Path project(String name, Map<String, String> files) {
    Path dir = warehouse.resolveSibling(warehouse.getFileName() + "-projects").resolve(name);
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, String> f : files.entrySet()) {
        Files.writeString(dir.resolve(f.getKey()), f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  @Test
  void mixedSqlPythonSqlProject() {
    lake.seedTransactions(TableId.of("raw", "transactions"));
    lake.createTable(TableId.of("analytics", "fx_rates"), "currency VARCHAR, rate DOUBLE",
        s -> PartitionSpec.unpartitioned());
    lake.insert(TableId.of("analytics", "fx_rates"), "VALUES ('EUR', 1.1)");
    lake.createTable(TableId.of("analytics", "countries"), "id BIGINT, name VARCHAR",
        s -> PartitionSpec.unpartitioned());
    lake.insert(TableId.of("analytics", "countries"), "VALUES (1, 'Italy'), (2, 'France'), (6, 'Spain')");

    RunRecord run = lake.runner(3).run(request(PipelinePlannerTest.project("mixed"), "main", false, Map.of()),
        RunListener.NONE);

    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    assertEquals("mixed_demo", run.projectName());
    assertEquals(9, step(run, "recent").rows());
    assertEquals("sql", step(run, "recent").kind());
    assertEquals(9, step(run, "scored").rows());
    assertEquals("analytics.summary", step(run, "materialize:summary").materializedAs());
    assertEquals(List.of("1|10.0", "2|20.5", "6|50.0"),
        lake.rows("main", TableId.of("analytics", "summary"), "SELECT id, usd FROM {table} ORDER BY id"));
    assertEquals(List.of(), lake.rows("SELECT database_name FROM duckdb_databases() "
        + "WHERE database_name LIKE 'tarn_run_%'"), "the run's database and the SQL models' scopes are detached");
  }

  @Test
  void scansReadOnlyDeclaredColumnsAndSkipFiles() {
    Path project = project("pushdown", Map.of("m.py", """
        import tarn
        import pyarrow as pa

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def seen(data=tarn.Model("transactions", columns=["usd", "ID"], filter="eventTime >= '2023-03-01'")):
            return pa.table({"columns": [",".join(data.column_names)], "rows": [data.num_rows]})
        """));
    RunRecord run = lake.runner(2).run(request(project, "dev", false, Map.of()), RunListener.NONE);

    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    StepRecord scan = step(run, "scan:public.transactions");
    assertEquals("columns usd, id (and eventTime for the filter); filter eventTime >= '2023-03-01'; "
        + "read 1 of 3 data files", scan.detail());
    assertEquals(2, scan.rows());
    assertEquals(List.of("usd,id|2"), lake.rows("dev", TableId.of("public", "seen"), "SELECT * FROM {table}"));
  }

  /** A model printing what it received: its schema, its chunks' lengths and its rows. */
  private static final String REPORT = """
      def report(name, data):
          print(name, "SCHEMA", data.schema.to_string(show_schema_metadata=False), "END")
          print(name, "CHUNKS", [len(c) for c in data.column(0).chunks])
          print(name, "ROWS", data.to_pylist())
      """;

  private static String printed(RunRecord run, String step, String what) {
    String logs = step(run, step).logs();
    // a schema spans lines and ends with END; the others end with their line
    Matcher m = Pattern.compile("(?s)" + step + " " + what + " (.*?)" + (what.equals("SCHEMA") ? " END" : "\n"))
        .matcher(logs);
    assertTrue(m.find(), logs);
    return m.group(1);
  }

  @Test
  void aPythonModelReadingAnotherWholeMapsItsFileAndSeesWhatDuckDbWouldHandIt() {
    Path project = project("handed_whole", Map.of("m.py", """
        import datetime
        import pyarrow as pa
        import tarn
        %s

        def made_table():
            columns = {
                "i8": pa.array([1, None, -3, 4, 5, 6], pa.int8()),
                "i16": pa.array([1, 2, None, 4, 5, -6], pa.int16()),
                "i32": pa.array([1, 2, 3, None, 5, 6], pa.int32()),
                "i64": pa.array([2**62, 2, 3, 4, None, -6], pa.int64()),
                "u8": pa.array([255, 2, 3, 4, 5, None], pa.uint8()),
                "u16": pa.array([65535, 2, 3, 4, 5, 6], pa.uint16()),
                "u32": pa.array([2**32 - 1, 2, 3, 4, 5, 6], pa.uint32()),
                "u64": pa.array([2**64 - 1, 2, 3, 4, 5, 6], pa.uint64()),
                "f32": pa.array([1.5, None, 3.25, 4, 5, 6], pa.float32()),
                "f64": pa.array([1.5, 2.5, float("nan"), 4, 5, None], pa.float64()),
                "b": pa.array([True, False, None, True, False, True]),
                "Text": pa.array(["a", "é", None, "", "naïve", "x" * 40]),
                "bin": pa.array([b"a", b"", None, b"\\x00", b"z", b"y"], pa.binary()),
                "d": pa.array([datetime.date(2024, 2, 29), None, datetime.date(1970, 1, 1),
                               datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(2000, 1, 1)]),
                "ts": pa.array([datetime.datetime(2024, 2, 29, 12, 30, 1, 123456), None,
                                datetime.datetime(1970, 1, 1), datetime.datetime(1, 1, 1),
                                datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
                                datetime.datetime(2000, 1, 1)], pa.timestamp("us")),
            }
            whole = pa.table(columns)
            # three batches: a file read as it is keeps them, DuckDB's export makes one
            return pa.Table.from_batches(whole.slice(0, 1).to_batches() + whole.slice(1, 2).to_batches()
                                         + whole.slice(3).to_batches())

        @tarn.model()
        @tarn.python("3.11")
        def made(data=tarn.Model("transactions", columns=["id"])):
            return made_table()

        @tarn.model()
        @tarn.python("3.11")
        def zoned(data=tarn.Model("transactions", columns=["id"])):
            table = made_table()
            return table.append_column("zone", pa.array([None] * 6, pa.timestamp("us", tz="Europe/Rome")))

        @tarn.model()
        @tarn.python("3.11")
        def whole(data=tarn.Model("made")):
            report("whole", data)
            return data

        @tarn.model()
        @tarn.python("3.11")
        def chosen(data=tarn.Model("made", columns=["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32",
                                                    "f64", "b", "Text", "bin", "d", "ts"])):
            report("chosen", data)
            return data

        @tarn.model()
        @tarn.python("3.11")
        def whole_zoned(data=tarn.Model("zoned")):
            report("whole_zoned", data)
            return data

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def again(data=tarn.Model("whole")):
            return data
        """.formatted(REPORT)));
    RunRecord run = lake.runner(2).run(request(project, "dev", false, Map.of()), RunListener.NONE);

    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    assertEquals("[1, 2, 3]", printed(run, "whole", "CHUNKS"), "the model's own file, batches as written");
    assertEquals("[6]", printed(run, "chosen", "CHUNKS"), "chosen columns go through DuckDB");
    assertEquals("[6]", printed(run, "whole_zoned", "CHUNKS"), "a zoned timestamp goes through DuckDB");
    assertEquals(printed(run, "chosen", "SCHEMA"), printed(run, "whole", "SCHEMA"));
    assertEquals(printed(run, "chosen", "ROWS"), printed(run, "whole", "ROWS"));
    // DuckDB hands a zoned timestamp back in its session's zone, not the model's: such outputs go through it
    assertFalse(printed(run, "whole_zoned", "SCHEMA").contains("Europe/Rome"), printed(run, "whole_zoned", "SCHEMA"));
    // a kept output materialized: its table made from the file after all
    assertEquals(List.of("6|5"), lake.rows("dev", TableId.of("public", "again"),
        "SELECT count(*), count(i8) FROM {table}"));
  }

  @Test
  void outputsDuckDbWouldChangeGoThroughItEvenWhenReadWhole() {
    Path project = project("handed_through_duckdb", Map.of("m.py", """
        import pyarrow as pa
        import tarn
        %s

        @tarn.model()
        @tarn.python("3.11")
        def named(data=tarn.Model("transactions", columns=["id"])):
            # DuckDB reads a name up to its first NUL, then renames the clash
            return pa.table({"a\\x00b": [1], "a": [2]})

        @tarn.model()
        @tarn.python("3.11")
        def small(data=tarn.Model("transactions", columns=["id"])):
            return pa.Table.from_batches([pa.record_batch({"n": [i]}) for i in range(100)])

        @tarn.model()
        @tarn.python("3.11")
        def whole_named(data=tarn.Model("named")):
            report("whole_named", data)
            return data

        @tarn.model()
        @tarn.python("3.11")
        def whole_small(data=tarn.Model("small")):
            report("whole_small", data)
            return data
        """.formatted(REPORT)));
    RunRecord run = lake.runner(2).run(request(project, "dev", true, Map.of()), RunListener.NONE);

    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    assertTrue(printed(run, "whole_named", "SCHEMA").startsWith("a: int64\na_1: int64"),
        printed(run, "whole_named", "SCHEMA"));
    assertEquals("[100]", printed(run, "whole_small", "CHUNKS"), "a hundred one-row batches, as DuckDB hands them");

    // bytes that are not UTF-8; and a character cut in two by a string boundary, valid only together
    for (String bytes : List.of("\\xff\\xfeab", "\\xc3\\xa9ab")) {
      Path invalid = project("handed_invalid_utf8_" + bytes.length(), Map.of("m.py", """
          import pyarrow as pa
          import tarn

          @tarn.model()
          @tarn.python("3.11")
          def garbled(data=tarn.Model("transactions", columns=["id"])):
              offsets = pa.py_buffer(pa.array([0, 1, 4], pa.int32()).buffers()[1])
              column = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(b"%s")])
              return pa.table({"s": column})

          @tarn.model()
          @tarn.python("3.11")
          def reader(data=tarn.Model("garbled")):
              print("READ", data.column("s").to_pylist())
              return data
          """.formatted(bytes)));
      RunRecord failed = lake.runner(2).run(request(invalid, "dev", true, Map.of()), RunListener.NONE);
      assertEquals(RunRecord.Status.FAILED, failed.status(), bytes);
      assertTrue(failed.error().contains("in model 'garbled'") && failed.error().contains("Invalid unicode"),
          failed.error());
      assertEquals(Status.SKIPPED, step(failed, "reader").status(), "the garbled strings reached no model");
    }
  }

  @Test
  void anOutputNothingReadsIsStillCheckedInADryRun() {
    String leaf = """
        import pyarrow as pa
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def leaf(data=tarn.Model("transactions", columns=["id"])):
            offsets = pa.py_buffer(pa.array(%s, pa.int32()).buffers()[1])
            column = pa.Array.from_buffers(pa.string(), 2, [None, offsets, pa.py_buffer(b"%s")])
            return pa.table({"s": column})
        """;
    RunRecord good = lake.runner(2).run(request(project("leaf_good",
        Map.of("m.py", leaf.formatted("[0, 1, 4]", "abcd"))), "dev", true, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.SUCCEEDED, good.status(), good.error());
    assertEquals(2, step(good, "leaf").rows());

    RunRecord decreasing = lake.runner(2).run(request(project("leaf_offsets",
        Map.of("m.py", leaf.formatted("[0, 3, 1]", "abcd"))), "dev", true, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.FAILED, decreasing.status());
    assertTrue(decreasing.error().contains("in model 'leaf'") && decreasing.error().contains("decrease"),
        decreasing.error());

    RunRecord garbled = lake.runner(2).run(request(project("leaf_utf8",
        Map.of("m.py", leaf.formatted("[0, 1, 4]", "\\xff\\xfeab"))), "dev", true, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.FAILED, garbled.status());
    assertTrue(garbled.error().contains("in model 'leaf'") && garbled.error().contains("Invalid unicode"),
        garbled.error());
  }

  @Test
  void aColumnDeclaringNullsItsBitmapDeniesFailsItsModel() {
    // pyarrow believes a declared null count, DuckDB reads the bitmap: such a column is refused
    String model = """
        import pyarrow as pa
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def miscounted(data=tarn.Model("transactions", columns=["id"])):
            data = pa.py_buffer(pa.array([1, 2, 3], pa.int64()).buffers()[1])
            column = pa.Array.from_buffers(pa.int64(), 3, [pa.py_buffer(b"\\x07"), data], null_count=%d)
            table = pa.table({"n": column})
            return %s

        @tarn.model()
        @tarn.python("3.11")
        def reader(data=tarn.Model("miscounted")):
            print("READ", data.column("n").drop_null().to_pylist())
            return data
        """;
    // read in place, and by copy (an output with a dictionary column)
    for (String returned : List.of("table", "table.append_column(\"d\", pa.array([\"x\"] * 3).dictionary_encode())")) {
      RunRecord run = lake.runner(2).run(request(project("miscounted_" + returned.length(),
          Map.of("m.py", model.formatted(3, returned))), "dev", true, Map.of()), RunListener.NONE);
      assertEquals(RunRecord.Status.FAILED, run.status(), returned);
      assertTrue(run.error().contains("in model 'miscounted'")
          && run.error().contains("column n declares 3 nulls but its validity bitmap holds 0"), run.error());
      assertEquals(Status.SKIPPED, step(run, "reader").status());
    }
    RunRecord counted = lake.runner(2).run(request(project("counted",
        Map.of("m.py", model.formatted(0, "table"))), "dev", true, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.SUCCEEDED, counted.status(), counted.error());
    assertTrue(step(counted, "reader").logs().contains("READ [1, 2, 3]"), step(counted, "reader").logs());
  }

  @Test
  void dryRunRunsEverythingAndCommitsNothing() {
    String before = lake.head("dev");
    RunRecord run = lake.runner(2).run(request(PipelinePlannerTest.project("seed"), "dev", true, Map.of()),
        RunListener.NONE);

    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    assertTrue(run.dryRun());
    assertEquals(Status.SUCCEEDED, step(run, "usd_by_country").status());
    assertEquals(3, step(run, "usd_by_country").rows());
    assertEquals(Status.SKIPPED, step(run, "materialize:usd_by_country").status());
    assertEquals(before, lake.head("dev"));
    assertNull(run.runBranch());
    assertNull(run.mergeCommit());
    assertTrue(lake.catalog.listBranches().stream()
            .noneMatch(b -> b.name().startsWith(PipelineRunner.RUN_BRANCH_PREFIX)),
        "a dry run creates no branch");
    assertFalse(lake.tableExists("dev", USD_BY_COUNTRY));
  }

  @Test
  void parametersReachModelsAndARerunReplacesTheTable() {
    Path project = project("params", Map.of(
        "tarn_project.yml", "name: picking\nparameters:\n  country: IT\n",
        "m.py", """
            import tarn

            @tarn.model(materialize=True)
            @tarn.python("3.11")
            def picked(data=tarn.Model("transactions", columns=["id", "country"]), c=tarn.Parameter("country")):
                import pyarrow.compute as pc
                return data.filter(pc.equal(data["country"], c))
            """));
    TableId picked = TableId.of("public", "picked");
    RunRecord byDefault = lake.runner(2).run(request(project, "dev", false, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.SUCCEEDED, byDefault.status(), byDefault.error());
    assertEquals(List.of("1", "4", "7"), lake.rows("dev", picked, "SELECT id FROM {table} ORDER BY id"));

    RunRecord france = lake.runner(2).run(request(project, "dev", false, Map.of("country", "FR")), RunListener.NONE);
    assertEquals(RunRecord.Status.SUCCEEDED, france.status(), france.error());
    assertEquals(List.of("2", "8"), lake.rows("dev", picked, "SELECT id FROM {table} ORDER BY id"));
  }

  @Test
  void independentModelsRunConcurrently() {
    Path project = project("concurrent", Map.of("m.py", """
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def left(data=tarn.Model("transactions")):
            import time
            time.sleep(1.5)
            return data

        @tarn.model()
        @tarn.python("3.11")
        def right(data=tarn.Model("transactions", columns=["id"])):
            import time
            time.sleep(1.5)
            return data
        """));
    RunRecord run = lake.runner(2).run(request(project, "dev", false, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.SUCCEEDED, run.status(), run.error());
    long wall = run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli();
    long models = step(run, "left").durationMs() + step(run, "right").durationMs();
    assertTrue(wall < models, "both models ran at the same time: run " + wall + " ms, models " + models + " ms");
    assertEquals(lake.head("dev"), run.targetHashBefore(), "nothing materialized: nothing merged");
    assertNull(run.mergeCommit());
  }

  // ---- failures: the target is unchanged, the error names the model ----

  private RunRecord runFailing(Path project, int parallelism) {
    String before = lake.head("dev");
    int commits = lake.commits("dev");
    RunRecord run = lake.runner(parallelism).run(request(project, "dev", false, Map.of()), RunListener.NONE);
    assertEquals(RunRecord.Status.FAILED, run.status());
    assertNotNull(run.finishedAt());
    assertEquals(before, lake.head("dev"), "the target is unchanged");
    assertEquals(commits, lake.commits("dev"));
    assertTrue(run.error().contains("the target branch 'dev' is unchanged"), run.error());
    assertEquals(List.of(), lake.rows("SELECT database_name FROM duckdb_databases() "
        + "WHERE database_name LIKE 'tarn_run_%'"), "the run's databases are detached after a failure too");
    if (run.runBranch() != null) {
      assertTrue(lake.catalog.findReference(run.runBranch()).isPresent(), "the run branch is kept");
      assertTrue(run.error().contains("'" + run.runBranch() + "' is kept for inspection"), run.error());
    }
    return run;
  }

  @Test
  void aModelRaisingFailsTheRunWithItsTraceback() {
    Path project = project("raising", Map.of("m.py", """
        import tarn
        import time

        @tarn.model()
        @tarn.python("3.11")
        def exploding(data=tarn.Model("transactions")):
            raise ValueError("no euros in " + str(data.num_rows) + " rows")

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def after(x=tarn.Model("exploding")):
            return x

        @tarn.model()
        @tarn.python("3.11")
        def sleeper(data=tarn.Model("transactions")):
            time.sleep(60)
            return data
        """));
    long started = System.nanoTime();
    RunRecord run = runFailing(project, 4);
    assertTrue((System.nanoTime() - started) / 1_000_000_000 < 30, "the sleeping model was stopped");
    assertTrue(run.error().startsWith("pipeline run " + run.id() + " failed in model 'exploding': "), run.error());
    assertTrue(run.error().contains("ValueError: no euros in 9 rows"), run.error());
    assertTrue(run.error().contains("Traceback") && run.error().contains("m.py"), run.error());
    assertNotNull(run.runBranch());
    assertEquals(Status.FAILED, step(run, "exploding").status());
    assertNotNull(step(run, "exploding").environment());
    assertEquals(Status.SKIPPED, step(run, "after").status());
    assertEquals(Status.SKIPPED, step(run, "materialize:after").status());
    assertEquals(Status.FAILED, step(run, "sleeper").status(), "stopped after the first failure");
  }

  @Test
  void aFailingSqlModelIsNamed() {
    Path project = project("bad_sql", Map.of(
        "totals.sql", "-- tarn: materialize=true\nSELECT country, sum(usd) AS usd FROM transactions GROUP BY country\n",
        "broken.sql", "SELECT no_such_column FROM totals\n"));
    RunRecord run = runFailing(project, 2);
    assertTrue(run.error().contains("failed in model 'broken'") && run.error().contains("no_such_column"),
        run.error());
    assertEquals(Status.SUCCEEDED, step(run, "totals").status());
  }

  @Test
  void aFalseExpectationFailsTheRun() {
    Path project = project("expecting", Map.of("m.py", """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def copied(data=tarn.Model("transactions")):
            print("copying", data.num_rows)
            return data

        @tarn.expectation()
        @tarn.python("3.11")
        def no_us(data=tarn.Model("copied")):
            return "US" not in data["country"].to_pylist()
        """));
    RunRecord run = runFailing(project, 2);
    assertTrue(run.error().contains("failed in expectation 'no_us'"), run.error());
    assertTrue(run.error().contains("returned False"), run.error());
    assertTrue(step(run, "copied").logs().contains("copying 9"), step(run, "copied").logs());
    assertFalse(lake.tableExists("dev", TableId.of("public", "copied")));
    assertTrue(lake.tableExists(run.runBranch(), TableId.of("public", "copied")), "kept for inspection");
  }

  @Test
  void aModelOverItsTimeoutIsStopped() {
    Path project = project("slow", Map.of("tarn_project.yml", "timeout_seconds: 2\n", "m.py", """
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def slow(data=tarn.Model("transactions")):
            import time
            time.sleep(60)
            return data
        """));
    RunRecord run = runFailing(project, 2);
    assertTrue(run.error().contains("failed in model 'slow'") && run.error().contains("timeout of 2 s"), run.error());
  }

  @Test
  void aKilledModelProcessFailsTheRun() {
    Path project = project("killed", Map.of("m.py", """
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def doomed(data=tarn.Model("transactions")):
            import os
            os.kill(os.getpid(), 9)
        """));
    RunRecord run = runFailing(project, 2);
    assertTrue(run.error().contains("failed in model 'doomed'") && run.error().contains("signal 9"), run.error());
  }

  @Test
  void aMissingPackageFailsBeforeAnyModelRuns() {
    Path project = project("missing", Map.of("m.py", """
        import tarn

        @tarn.model()
        @tarn.python("3.11")
        def fine(data=tarn.Model("transactions")):
            return data

        @tarn.model()
        @tarn.python("3.11", pip={"polars": "0.0.999"})
        def needs_old_polars(data=tarn.Model("fine")):
            return data
        """));
    RunRecord run = runFailing(project, 2);
    assertTrue(run.error().contains("model 'needs_old_polars'") && run.error().contains("polars"), run.error());
    assertNull(run.runBranch(), "no branch is created before the environments exist");
    assertEquals(Status.SKIPPED, step(run, "fine").status(), "no model ran");
    assertEquals(Status.FAILED, step(run, "needs_old_polars").status());
  }

  @Test
  void interruptingTheCallerCancelsTheRun() throws Exception {
    Path project = project("cancelled", Map.of("m.py", """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def endless(data=tarn.Model("transactions")):
            import time
            time.sleep(60)
            return data
        """));
    String before = lake.head("dev");
    java.util.concurrent.CompletableFuture<RunRecord> result = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CountDownLatch modelStarted = new java.util.concurrent.CountDownLatch(1);
    Thread caller = new Thread(() -> result.complete(lake.runner(2).run(request(project, "dev", false, Map.of()),
        record -> {
          if (record.steps().stream().anyMatch(s -> s.step().equals("endless") && s.status() == Status.RUNNING)) {
            modelStarted.countDown();
          }
        })));
    caller.start();
    assertTrue(modelStarted.await(30, java.util.concurrent.TimeUnit.SECONDS));
    Thread.sleep(300); // the model's process is up
    caller.interrupt();
    RunRecord run = result.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(RunRecord.Status.CANCELLED, run.status());
    assertTrue(run.error().contains("cancelled"), run.error());
    assertEquals(Status.FAILED, step(run, "endless").status());
    assertEquals(Status.SKIPPED, step(run, "materialize:endless").status());
    assertEquals(before, lake.head("dev"));
  }

  /**
   * The client goes away just as the last step ends, when nothing is left to interrupt: the run must
   * not merge and call that a success.
   */
  @Test
  void aClientGoneBeforeTheMergeIsRecordedAsCancelled() {
    Path project = project("gone", Map.of(
        "totals.sql", "-- tarn: materialize=true\nSELECT country, sum(usd) AS usd FROM transactions GROUP BY country\n"));
    String before = lake.head("dev");
    RunRecord run;
    try {
      run = lake.runner(2).run(request(project, "dev", false, Map.of()), record -> {
        if (record.status() == RunRecord.Status.RUNNING && record.steps().stream()
            .anyMatch(s -> s.step().startsWith("materialize:") && s.status() == Status.SUCCEEDED)) {
          Thread.currentThread().interrupt(); // the scheduler reports the last step on the caller's thread
        }
      });
    } finally {
      Thread.interrupted(); // the next test starts clean
    }
    assertEquals(RunRecord.Status.CANCELLED, run.status(), String.valueOf(run.error()));
    assertTrue(run.error().contains("was cancelled") && run.error().contains("'dev' is unchanged"), run.error());
    assertNull(run.mergeCommit());
    assertEquals(before, lake.head("dev"), "nothing was merged");
  }

  @Test
  void aCycleFailsWhilePlanning() {
    RunRecord run = runFailing(PipelinePlannerTest.project("cycle"), 2);
    assertTrue(run.error().contains("while planning") && run.error().contains("cycle"), run.error());
    assertTrue(run.steps().isEmpty());
    assertNull(run.runBranch());
  }

  @Test
  void aConflictingCommitOnTheTargetFailsTheMerge() {
    // someone creates the same table on dev while the run works
    RunListener meanwhile = record -> {
      if (record.steps().stream().anyMatch(s -> s.step().equals("materialize:usd_by_country")
          && s.status() == Status.RUNNING)) {
        if (!lake.tableExists("dev", USD_BY_COUNTRY)) {
          lake.catalog.commit(ChangeSet.on("dev").message("CREATE TABLE usd_by_country").author("bob")
              .createTable(USD_BY_COUNTRY, IcebergTypes.toSchema(List.of(new IcebergTypes.Column("x", "BIGINT")))));
        }
      }
    };
    RunRecord run = lake.runner(2).run(request(PipelinePlannerTest.project("seed"), "dev", false, Map.of()), meanwhile);
    assertEquals(RunRecord.Status.FAILED, run.status());
    assertTrue(run.error().contains("merging into branch 'dev'") && run.error().contains("usd_by_country"),
        run.error());
    assertTrue(lake.catalog.findReference(run.runBranch()).isPresent());
    assertEquals(List.of(), lake.rows("dev", USD_BY_COUNTRY, "SELECT * FROM {table}"), "bob's table stays");
  }

  @Test
  void aMissingBranchOrATagIsRefusedBeforeAnythingIsRecorded() {
    List<RunRecord> heard = new CopyOnWriteArrayList<>();
    PipelineRunner runner = lake.runner(1);
    assertThrows(ReferenceNotFoundException.class,
        () -> runner.run(request(PipelinePlannerTest.project("seed"), "nope", false, Map.of()), heard::add));
    lake.catalog.createTag("v1", At.branch("main"));
    assertThrows(ReadOnlyReferenceException.class,
        () -> runner.run(request(PipelinePlannerTest.project("seed"), "v1", false, Map.of()), heard::add));
    assertTrue(heard.isEmpty());
  }
}
