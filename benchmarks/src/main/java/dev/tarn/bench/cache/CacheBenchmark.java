package dev.tarn.bench.cache;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.catalog.At;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineConfig;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.pipeline.SqlInspector;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonModelRunner;
import dev.tarn.core.pipeline.PipelineSql;
import dev.tarn.sql.TarnSqlFrontend;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * B6 cache: a sequence of pipeline runs whose scans overlap (the same table snapshot, then
 * narrower columns, then a wider date range, then a narrower scan inside it) run with the server's
 * scan cache on and with it off, in the same process on the same warehouse.
 *
 * <p>Each scan is what a user's pipeline declares: a Python model whose input names columns and a
 * filter, run as a dry run through the {@link PipelineRunner} with the server's SQL front end, so
 * every run plans, prunes files with Iceberg's metadata, scans, and hands the rows to a model
 * process. The first scan of the sequence fills the cache (with it off it is the same read); the
 * others are "the repeated part" the spec's goal is on. Each repetition starts from an empty cache;
 * the sides take turns, the side going first alternating. Every run's answer is checked against
 * DuckDB over the table's view: the rows the scan kept, and the count and total the model printed.
 */
public final class CacheBenchmark implements Benchmark {
  public static final long DEFAULT_ROWS = 4_000_000L;
  public static final long QUICK_ROWS = 72_000L;
  public static final int DEFAULT_RUNS = 3;
  /** The spec's goal: the repeated part at least this many times faster with the cache. */
  public static final double GOAL_RATIO = 3;
  static final String PYTHON = "3.11";
  private static final int PARALLELISM = 2;

  /** The sequence: the first fills the cache, the rest overlap it. */
  static final List<OverlappingScan> SCANS = List.of(
      new OverlappingScan("first", "2023, four columns: fills the cache", List.of("id", "usd", "country", "customer"),
          "2023-01-01"),
      new OverlappingScan("narrower", "the same months, two of those columns", List.of("usd", "country"),
          "2023-01-01"),
      new OverlappingScan("wider", "the same columns from 2022: twelve more months", List.of("usd", "country"),
          "2022-01-01"),
      new OverlappingScan("inside", "one column from 2022-04, inside what was read", List.of("usd"), "2022-04-01"));

  @Override
  public String name() {
    return "cache";
  }

  @Override
  public String description() {
    return "B6: pipeline scans overlapping earlier ones (narrower columns, wider date range) on the same snapshot,"
        + " with the scan cache vs without";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    long rows = params.rows(DEFAULT_ROWS, QUICK_ROWS);
    int runs = params.runs(DEFAULT_RUNS);
    int warmups = params.quick() ? 0 : 1;
    long budget = Long.parseLong(params.setting("budget_mb", Long.toString(ScanCache.DEFAULT_BUDGET_BYTES >> 20)))
        << 20;
    PrintStream log = params.log();
    Path work = Files.createTempDirectory("tarn-bench-cache-");
    Path warehouse = Files.createDirectories(work.resolve("warehouse"));
    try (DuckDbEngine engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
        EmbeddedBranchCatalog catalog = EmbeddedBranchCatalog.open(warehouse);
        LakehouseViews views = new LakehouseViews(engine, catalog);
        BufferAllocator allocator = new RootAllocator();
        Connection duckdb = engine.openInternalConnection()) {
      long t = System.nanoTime();
      int files = EventsTable.create(catalog, duckdb, rows);
      log.printf(Locale.ROOT, "%,d rows over %d months written as %d data files in %.1f s%n", rows,
          EventsTable.MONTHS, files, (System.nanoTime() - t) / 1e9);

      ResolvedReference main = catalog.resolve(At.branch("main"));
      List<Path> projects = new ArrayList<>();
      List<EventsTable.Answer> expected = new ArrayList<>();
      for (OverlappingScan scan : SCANS) {
        projects.add(scan.writeProject(work.resolve("projects")));
        expected.add(EventsTable.expected(views, main, duckdb, scan));
      }
      Environments environments = Environments.locate(Environments.defaultCacheDir());
      SqlInspector sql = new PipelineSql(new TarnSqlFrontend());
      PythonModelRunner python = new PythonModelRunner(allocator);
      Map<Kind, ScanSide> sides = new EnumMap<>(Kind.class);
      sides.put(Kind.RUNS, new ScanSequence(cache -> new PipelineRunner(catalog, engine, views, environments, python,
          null, sql, PARALLELISM, cache), SCANS, projects, expected));

      log.printf(Locale.ROOT, "%d scans per sequence, as pipeline runs; %d warm-up and %d timed"
          + " sequence(s) of each per side, each from an empty cache (budget %d MiB)%n", SCANS.size(), warmups, runs,
          budget >> 20);
      Map<Kind, Map<Boolean, List<List<ScanRun>>>> timed = new EnumMap<>(Kind.class);
      Map<String, Object> lastCache = new LinkedHashMap<>();
      for (Kind kind : Kind.values()) {
        timed.put(kind, Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
      }
      for (int rep = 0; rep < warmups + runs; rep++) {
        boolean onFirst = rep % 2 == 1;
        boolean warmUp = rep < warmups;
        for (Kind kind : Kind.values()) {
          for (boolean on : new boolean[] {onFirst, !onFirst}) {
            System.gc();
            List<ScanRun> sequence;
            try (ScanCache cache = on ? new ScanCache(engine, budget) : ScanCache.off()) {
              sequence = sides.get(kind).run(cache, on ? "cache on" : "cache off");
              if (on) {
                ScanCache.Stats stats = cache.stats();
                lastCache.putAll(ordered("fragments", stats.fragments(), "used_bytes", stats.usedBytes(),
                    "files_from_cache", stats.hits(), "files_read", stats.misses()));
              }
            }
            if (!warmUp) {
              timed.get(kind).get(on).add(sequence);
            }
            log.printf(Locale.ROOT, "  %-10s %-5s %-9s %s%n", warmUp ? "warm-up" : "run " + (rep - warmups + 1) + "/"
                + runs, kind.key, on ? "cache on" : "cache off", describe(sequence));
          }
        }
      }
      for (Kind kind : Kind.values()) {
        print(kind, timed.get(kind), log);
      }
      Map<String, Object> common = new LinkedHashMap<>();
      common.put("rows", rows);
      common.put("months", EventsTable.MONTHS);
      common.put("data_files", files);
      common.put("table", EventsTable.ID + " (" + EventsTable.COLUMNS + "), partitioned by month");
      common.put("runs", runs);
      common.put("warmups", warmups);
      common.put("statistic", "median");
      common.put("quick", params.quick());
      common.put("cache_budget_bytes", budget);
      common.put("cache_after_last_sequence", lastCache);
      common.put("python", PYTHON + " + pyarrow " + Environments.DEFAULT_PYARROW);
      List<Result> results = new ArrayList<>();
      for (Kind kind : Kind.values()) {
        Map<String, Object> parameters = new LinkedHashMap<>(common);
        parameters.put("what", kind.what);
        results.addAll(results(kind, timed.get(kind), expected, parameters));
      }
      return results;
    } finally {
      TempDirs.deleteQuietly(work);
    }
  }

  /**
   * How the sequence is run: whole pipeline runs. (The scans were also measured alone, as DuckDB's
   * Arrow export of the kept rows; the cache now hands its Arrow files to the model process instead,
   * so only a run includes what it saves.)
   */
  private enum Kind {
    RUNS("runs", "run", "dry pipeline runs on main through PipelineRunner (plan, model discovery, Iceberg pruning,"
        + " scan, hand-off to the Python model process, which prints its input's row count and usd total)");

    final String key;
    final String one;
    final String what;

    Kind(String key, String one, String what) {
      this.key = key;
      this.one = one;
      this.what = what;
    }
  }

  private static String describe(List<ScanRun> runs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < runs.size(); i++) {
      ScanRun r = runs.get(i);
      b.append(String.format(Locale.ROOT, "%s %.3f s (%d/%d cached)  ", SCANS.get(i).name(), r.seconds(),
          r.filesFromCache(), r.filesRead()));
    }
    return b.toString().stripTrailing();
  }

  /** The median over repetitions of the sum, over scans {@code from..}, of one figure of a run. */
  private static double median(List<List<ScanRun>> sequences, int from, int to, ToDoubleFunction<ScanRun> figure) {
    return Stats.median(sums(sequences, from, to, figure));
  }

  private static List<Double> sums(List<List<ScanRun>> sequences, int from, int to, ToDoubleFunction<ScanRun> figure) {
    return sequences.stream().map(runs -> runs.subList(from, to).stream().mapToDouble(figure).sum()).toList();
  }

  private static void print(Kind kind, Map<Boolean, List<List<ScanRun>>> timed, PrintStream log) {
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"scan", "columns", "filter", "files", "from cache", "rows", "cache off", "cache on",
        "off / on"});
    List<ScanRun> sample = timed.get(true).get(0);
    for (int i = 0; i < SCANS.size(); i++) {
      OverlappingScan scan = SCANS.get(i);
      double off = median(timed.get(false), i, i + 1, ScanRun::seconds);
      double on = median(timed.get(true), i, i + 1, ScanRun::seconds);
      table.add(new String[] {scan.name(), String.join(",", scan.columns()), scan.filter(),
          Integer.toString(sample.get(i).filesRead()), Integer.toString(sample.get(i).filesFromCache()),
          String.format(Locale.ROOT, "%,d", sample.get(i).rows()), seconds(off), seconds(on), ratio(off, on)});
    }
    int n = SCANS.size();
    double off = median(timed.get(false), 1, n, ScanRun::seconds);
    double on = median(timed.get(true), 1, n, ScanRun::seconds);
    table.add(new String[] {"repeated part", "", "scans 2 to " + n, "", "", "", seconds(off), seconds(on),
        ratio(off, on)});
    if (kind == Kind.RUNS) {
      double offSteps = median(timed.get(false), 1, n, ScanRun::stepSeconds);
      double onSteps = median(timed.get(true), 1, n, ScanRun::stepSeconds);
      table.add(new String[] {"  its scan + model steps", "", "", "", "", "", seconds(offSteps), seconds(onSteps),
          ratio(offSteps, onSteps)});
    }
    log.println();
    log.println("median seconds per " + kind.one + ", " + kind.what + ":");
    Report.printColumns(table, log);
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f s", s);
  }

  private static String ratio(double off, double on) {
    return String.format(Locale.ROOT, "%.2fx", off / on);
  }

  private static List<Result> results(Kind kind, Map<Boolean, List<List<ScanRun>>> timed,
      List<EventsTable.Answer> expected, Map<String, Object> common) {
    List<List<ScanRun>> on = timed.get(true);
    List<List<ScanRun>> off = timed.get(false);
    int n = SCANS.size();
    long repeatedRows = expected.subList(1, n).stream().mapToLong(EventsTable.Answer::rows).sum();
    Map<String, Object> all = new LinkedHashMap<>(common);
    List<Map<String, Object>> scans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      OverlappingScan scan = SCANS.get(i);
      int index = i;
      Map<String, Object> s = ordered("name", scan.name(), "role", scan.role(), "columns", scan.columns(),
          "filter", scan.filter(), "rows", expected.get(i).rows(), "files_read", on.get(0).get(i).filesRead(),
          "files_from_cache", on.stream().map(runs -> runs.get(index).filesFromCache()).toList(),
          "cache_off_seconds", sums(off, i, i + 1, ScanRun::seconds),
          "cache_on_seconds", sums(on, i, i + 1, ScanRun::seconds));
      if (kind == Kind.RUNS) {
        s.put("cache_off_step_seconds", sums(off, i, i + 1, ScanRun::stepSeconds));
        s.put("cache_on_step_seconds", sums(on, i, i + 1, ScanRun::stepSeconds));
      }
      scans.add(s);
    }
    all.put("scans", scans);
    all.put("repeated_part", "scans 2 to " + n + " of each sequence, summed");
    all.put("repeated_rows", repeatedRows);
    all.put("baseline_side", "the same " + kind.key + " with the scan cache off (ScanCache.off())");
    all.put("tarn_side", "the " + kind.key + " with a new scan cache per sequence");
    all.put("baseline_seconds", sums(off, 1, n, ScanRun::seconds));
    all.put("tarn_seconds", sums(on, 1, n, ScanRun::seconds));

    long firstRows = expected.get(0).rows();
    return List.of(
        Result.throughput("cache.repeated_" + kind.key, repeatedRows / median(off, 1, n, ScanRun::seconds),
            repeatedRows / median(on, 1, n, ScanRun::seconds), "rows/s", Goal.atLeast(GOAL_RATIO), all),
        Result.throughput("cache.first_" + kind.one, firstRows / median(off, 0, 1, ScanRun::seconds),
            firstRows / median(on, 0, 1, ScanRun::seconds), "rows/s", Goal.none(),
            ordered("what", "the first " + kind.one + " of each sequence: with the cache on it fills the cache",
                "see", "cache.repeated_" + kind.key + " for every timing")));
  }

  /** Key-value pairs in the order given, so the JSON reads in that order. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
