package dev.tarn.bench.cache;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.WrongAnswerException;
import dev.tarn.catalog.At;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineConfig;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunListener;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.RunRequest;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.pipeline.SqlInspector;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonModelRunner;
import dev.tarn.core.pipeline.PipelineSql;
import dev.tarn.sql.TarnSqlFrontend;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * B11 the edit loop: a three-model project (a scan of the events table, a per-country total, the top
 * three) is run, then its last model is edited and the project run again, as a person iterating on
 * it does. Timed: each run after an edit, from the request to the run's record. Both sides use warm
 * Python workers; the baseline has the scan cache off, Tarn's side on. Every run must have run the
 * edited code (it prints its version) on the right rows (the scan's count and total).
 */
public final class EditLoopBenchmark implements Benchmark {
  public static final long DEFAULT_ROWS = 4_000_000L;
  public static final long QUICK_ROWS = 72_000L;
  public static final int DEFAULT_RUNS = 5;
  private static final int PARALLELISM = 2;
  private static final String FROM = "2022-01-01";
  private static final Pattern PRINTED = Pattern.compile("rows=(\\d+) usd=([0-9.eE+-]+)");
  private static final Pattern VERSION = Pattern.compile("version=(\\d+) countries=(\\d+)");

  @Override
  public String name() {
    return "editloop";
  }

  @Override
  public String description() {
    return "B11: re-running a three-model project after editing one model, scan cache on vs off (warm workers both)";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    long rows = params.rows(DEFAULT_ROWS, QUICK_ROWS);
    int runs = params.runs(DEFAULT_RUNS);
    PrintStream log = params.log();
    Path work = Files.createTempDirectory("tarn-bench-editloop-");
    Path warehouse = Files.createDirectories(work.resolve("warehouse"));
    try (DuckDbEngine engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
        EmbeddedBranchCatalog catalog = EmbeddedBranchCatalog.open(warehouse);
        LakehouseViews views = new LakehouseViews(engine, catalog);
        BufferAllocator allocator = new RootAllocator();
        PythonModelRunner python = new PythonModelRunner(allocator);
        Connection duckdb = engine.openInternalConnection()) {
      int files = EventsTable.create(catalog, duckdb, rows);
      ResolvedReference main = catalog.resolve(At.branch("main"));
      EventsTable.Answer expected = EventsTable.expected(views, main, duckdb,
          new OverlappingScan("recent", "", List.of("usd", "country"), FROM));
      Environments environments = Environments.locate(Environments.defaultCacheDir());
      SqlInspector sql = new PipelineSql(new TarnSqlFrontend());
      log.printf(Locale.ROOT, "%,d rows in %d data files; a project of three Python models (scan from %s, total by"
          + " country, top three); per side 1 run to warm up, then %d edit of the last model + re-run%n", rows, files,
          FROM, runs);

      Map<Boolean, List<Double>> seconds = new LinkedHashMap<>();
      int version = 0;
      for (boolean cacheOn : new boolean[] {false, true}) {
        Path project = Files.createDirectories(work.resolve(cacheOn ? "on" : "off"));
        List<Double> timed = new ArrayList<>();
        try (ScanCache cache = cacheOn ? new ScanCache(engine, ScanCache.DEFAULT_BUDGET_BYTES) : ScanCache.off()) {
          PipelineRunner runner = new PipelineRunner(catalog, engine, views, environments, python, null, sql,
              PARALLELISM, cache);
          for (int i = 0; i <= runs; i++) {
            writeProject(project, ++version);
            long started = System.nanoTime();
            RunRecord record = runner.run(new RunRequest(project, "editloop", "main", true, Map.of(), "bench"),
                RunListener.NONE);
            double s = (System.nanoTime() - started) / 1e9;
            check(record, version, expected);
            if (i > 0) {
              timed.add(s);
            }
            // each step's own time, so what a re-run spends beside its steps (planning) shows too
            log.printf(Locale.ROOT, "  cache %-3s %-8s %.3f s  (%s)%n", cacheOn ? "on" : "off",
                i == 0 ? "warm-up" : "edit " + i, s, record.steps().stream()
                    .map(step -> step.step() + " " + step.durationMs() + " ms").collect(Collectors.joining(", ")));
          }
        }
        seconds.put(cacheOn, timed);
      }
      double off = Stats.median(seconds.get(false));
      double on = Stats.median(seconds.get(true));
      log.printf(Locale.ROOT, "%n  re-run after an edit, median: cache off %.3f s, cache on %.3f s%n", off, on);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("rows", rows);
      p.put("data_files", files);
      p.put("runs", runs);
      p.put("project", "recent (scan usd, country from " + FROM + ") -> by_country -> top (edited each time)");
      p.put("baseline_side", "warm Python workers, scan cache off");
      p.put("tarn_side", "warm Python workers, scan cache on");
      p.put("baseline_seconds", seconds.get(false));
      p.put("tarn_seconds", seconds.get(true));
      return List.of(Result.time("editloop.rerun_after_edit", off, on, "s", Goal.none(), p));
    } finally {
      TempDirs.deleteQuietly(work);
    }
  }

  /** The project, with the last model at {@code version}: a person's edit. */
  private static void writeProject(Path dir, int version) throws IOException {
    Files.writeString(dir.resolve("models.py"), """
        import tarn
        import pyarrow as pa
        import pyarrow.compute as pc


        @tarn.model()
        @tarn.python("%s")
        def recent(data=tarn.Model("%s", columns=["usd", "country"], filter="eventTime >= '%s'")):
            usd = pc.sum(data["usd"]).as_py() or 0.0
            print(f"rows={data.num_rows} usd={usd!r}")
            return data


        @tarn.model()
        @tarn.python("%s")
        def by_country(data=tarn.Model("recent")):
            return data.group_by("country").aggregate([("usd", "sum")])


        @tarn.model()
        @tarn.python("%s")
        def top(data=tarn.Model("by_country")):
            print(f"version=%d countries={data.num_rows}")
            return data.sort_by([("usd_sum", "descending")]).slice(0, 3)
        """.formatted(CacheBenchmark.PYTHON, EventsTable.NAME, FROM, CacheBenchmark.PYTHON, CacheBenchmark.PYTHON,
        version));
  }

  private static void check(RunRecord record, int version, EventsTable.Answer expected) {
    if (record.status() != RunRecord.Status.SUCCEEDED) {
      throw new IllegalStateException("the run failed: " + record.error());
    }
    Matcher printed = PRINTED.matcher(ScanSequence.step(record, "recent").logs());
    if (!printed.find() || Long.parseLong(printed.group(1)) != expected.rows()
        || Double.parseDouble(printed.group(2)) != expected.usd()) {
      throw new WrongAnswerException("recent did not receive " + expected.rows() + " rows totalling " + expected.usd()
          + ": " + ScanSequence.step(record, "recent").logs());
    }
    Matcher top = VERSION.matcher(ScanSequence.step(record, "top").logs());
    if (!top.find() || Integer.parseInt(top.group(1)) != version || Integer.parseInt(top.group(2)) != 8) {
      throw new WrongAnswerException("top did not run its edit " + version + " over 8 countries: "
          + ScanSequence.step(record, "top").logs());
    }
  }
}
