package dev.tarn.bench.movement;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.movement.MovementTable.Checksum;
import dev.tarn.executor.EngineConfig;
import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonEnvironment;
import dev.tarn.executor.python.PythonModelRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * B4 movement: a table of N rows (BIGINT, DOUBLE, VARCHAR, TIMESTAMP) handed from DuckDB to a Python
 * model and back, Tarn's way (Arrow through the C data interface, Arrow IPC in shared memory,
 * memory-mapped, through the executor's {@code PythonModelRunner}) against Parquet files on local
 * disk, in the same run on the same table.
 *
 * <p>Both sides run the same model (it returns its input) in the same environment, started the
 * same way, so interpreter start and imports cost both the same and the difference is the movement.
 * Two figures: end to end (everything from the table leaving DuckDB to the output being a DuckDB
 * table again, the model's process included) and the hand-off alone (out of DuckDB, reading in the
 * model, writing in the model, back into DuckDB; the process's part as it reports it). Each side is
 * warmed up once, then they take turns; the median is reported. Every table that comes back is
 * compared with the one handed over (row count, types, a hash of every row).
 */
public final class MovementBenchmark implements Benchmark {
  public static final long DEFAULT_ROWS = 10_000_000L;
  public static final long QUICK_ROWS = 100_000L;
  public static final int DEFAULT_RUNS = 5;
  /** The spec's goal: Tarn hands the table over at least this many times faster. */
  public static final double GOAL_RATIO = 50;
  static final String MODEL = "hand_over";
  static final String INPUT = "handed";
  private static final String SOURCE = "handed";
  private static final String DEFAULT_PYTHON = "3.11";

  @Override
  public String name() {
    return "movement";
  }

  @Override
  public String description() {
    return "B4: a table of N rows handed from DuckDB to a Python model and back, Arrow IPC in shared memory"
        + " vs Parquet on local disk";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    long rows = params.rows(DEFAULT_ROWS, QUICK_ROWS);
    int runs = params.runs(DEFAULT_RUNS);
    PrintStream log = params.log();

    // Parquet goes to the temporary folder, which must be on local disk (--set dir=... otherwise).
    Path work = Files.createTempDirectory("tarn-bench-movement-");
    try (BufferAllocator allocator = new RootAllocator(); Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      Path module = copyResource("hand_over.py", work);
      Path script = copyResource("parquet_run.py", work);
      Path parquetDir = Files.createDirectories(Path.of(params.setting("dir", work.resolve("parquet").toString())));
      String python = params.setting("python", DEFAULT_PYTHON);
      PythonEnvironment environment = Environments.locate(Environments.defaultCacheDir())
          .assemble(EnvironmentSpec.of(python, Map.of()));
      log.printf(Locale.ROOT, "model environment: %s (%s, %.2f s to assemble)%n", environment.directory(),
          environment.reused() ? "cached" : "assembled now", environment.assembleTime().toNanos() / 1e9);

      long t = System.nanoTime();
      MovementTable.create(duckdb, SOURCE, rows);
      Checksum expected = MovementTable.checksum(duckdb, SOURCE);
      log.printf(Locale.ROOT, "%,d rows (%s) made in DuckDB in %.2f s; 1 warm-up then %d timed run(s) per side,"
          + " median reported%n", rows, MovementTable.COLUMNS, (System.nanoTime() - t) / 1e9, runs);

      // Batches of the size Tarn's engine hands out of DuckDB.
      int batchRows = EngineConfig.defaults(work).batchRows();
      try (HandOff arrow = new ArrowHandOff(duckdb, allocator, module, environment, batchRows);
          HandOff parquet = new ParquetHandOff(duckdb, parquetDir, script, module, environment)) {
        List<HandOff> sides = List.of(arrow, parquet);
        Map<String, List<Trip>> trips = measure(duckdb, sides, expected, runs, log);
        printPhases(sides, trips, log);
        Map<String, Object> common = new LinkedHashMap<>();
        common.put("rows", rows);
        common.put("columns", MovementTable.COLUMNS);
        common.put("runs", runs);
        common.put("warmups", 1);
        common.put("statistic", "median");
        common.put("quick", params.quick());
        common.put("model", "returns its input unchanged (" + MODEL + " in hand_over.py)");
        common.put("python", environment.spec().toString() + " + pyarrow " + Environments.DEFAULT_PYARROW);
        common.put("arrow_batch_rows", batchRows);
        common.put("duckdb_threads", setting(duckdb, "threads"));
        common.put("shared_memory_folder", PythonModelRunner.defaultScratchRoot().toString());
        common.put("parquet_folder", parquetDir.toString());
        common.put("parquet_file_system", Files.getFileStore(parquetDir).type());
        common.put("checksum", ordered("rows", expected.rows(), "types", expected.types(),
            "row_hash_sum", expected.rowHashSum().toString()));
        return results(arrow, parquet, trips, rows, common);
      }
    } finally {
      TempDirs.deleteQuietly(work);
    }
  }

  private static Map<String, List<Trip>> measure(Connection duckdb, List<HandOff> sides, Checksum expected,
      int runs, PrintStream log) throws Exception {
    Map<String, List<Trip>> trips = new LinkedHashMap<>();
    for (HandOff side : sides) {
      trips.put(side.key(), new ArrayList<>());
      Trip warmUp = checkedTrip(duckdb, side, expected);
      log.printf(Locale.ROOT, "  warm-up   %-8s %8.3f s%n", side.key(), warmUp.total());
    }
    for (int run = 1; run <= runs; run++) {
      for (HandOff side : sides) {
        System.gc();
        Trip trip = checkedTrip(duckdb, side, expected);
        trips.get(side.key()).add(trip);
        log.printf(Locale.ROOT, "  run %d/%d   %-8s %8.3f s (hand-off %.3f s)%n", run, runs, side.key(),
            trip.total(), trip.handOff());
      }
    }
    return trips;
  }

  /** One hand-off, its answer checked after the clock stopped, its output table dropped. */
  private static Trip checkedTrip(Connection duckdb, HandOff side, Checksum expected) throws Exception {
    String target = "back_" + side.key();
    Trip trip = side.handOff(SOURCE, target);
    MovementTable.check(side.label(), expected, MovementTable.checksum(duckdb, target), trip.rowsReported());
    try (Statement s = duckdb.createStatement()) {
      s.execute("DROP TABLE " + target);
    }
    return trip;
  }

  /** The steps of one hand-off, as the printed table and the JSON name them. */
  private enum Phase {
    TOTAL("end_to_end", "end to end", Trip::total),
    HAND_OFF("hand_off", "hand-off alone", Trip::handOff),
    OUT("out_of_duckdb", "out of DuckDB", Trip::out),
    // Arrow: mapping the file; its pages are read when the model first touches them (here: its write).
    READ("model_reads_input", "model reads its input", Trip::read),
    WRITE("model_writes_output", "model writes its output", Trip::write),
    BACK("back_into_duckdb", "back into DuckDB", Trip::back),
    MODEL("model_function", "the model function", Trip::model),
    OVERHEAD("process_overhead", "process start, imports, exit", Trip::processOverhead);

    final String key;
    final String label;
    final ToDoubleFunction<Trip> seconds;

    Phase(String key, String label, ToDoubleFunction<Trip> seconds) {
      this.key = key;
      this.label = label;
      this.seconds = seconds;
    }

    List<Double> of(List<Trip> trips) {
      return trips.stream().map(trip -> seconds.applyAsDouble(trip)).toList();
    }

    double median(List<Trip> trips) {
      return Stats.median(of(trips));
    }
  }

  private static void printPhases(List<HandOff> sides, Map<String, List<Trip>> trips, PrintStream log) {
    List<String[]> table = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("median seconds"));
    sides.forEach(side -> header.add(side.key()));
    header.add("parquet / arrow");
    table.add(header.toArray(String[]::new));
    for (Phase phase : Phase.values()) {
      List<String> row = new ArrayList<>(List.of(phase.label));
      for (HandOff side : sides) {
        row.add(String.format(Locale.ROOT, "%.3f", phase.median(trips.get(side.key()))));
      }
      row.add(String.format(Locale.ROOT, "%.1fx",
          phase.median(trips.get("parquet")) / phase.median(trips.get("arrow"))));
      table.add(row.toArray(String[]::new));
    }
    log.println();
    for (HandOff side : sides) {
      log.printf(Locale.ROOT, "%-8s %s; input file %.1f MB%n", side.key(), side.label(),
          trips.get(side.key()).get(0).bytes() / 1e6);
    }
    Report.printColumns(table, log);
  }

  private static List<Result> results(HandOff arrow, HandOff parquet, Map<String, List<Trip>> trips, long rows,
      Map<String, Object> common) {
    List<Trip> tarn = trips.get(arrow.key());
    List<Trip> baseline = trips.get(parquet.key());
    Map<String, Object> all = new LinkedHashMap<>(common);
    all.put("tarn_side", arrow.label());
    all.put("baseline_side", parquet.label());
    all.put("tarn_input_bytes", tarn.get(0).bytes());
    all.put("baseline_input_bytes", baseline.get(0).bytes());
    for (Phase phase : Phase.values()) {
      all.put("tarn_" + phase.key + "_seconds", phase.of(tarn));
      all.put("baseline_" + phase.key + "_seconds", phase.of(baseline));
    }
    List<Result> results = new ArrayList<>();
    results.add(compare("movement." + Phase.TOTAL.key, Phase.TOTAL, Goal.atLeast(GOAL_RATIO), tarn, baseline, rows, all));
    results.add(compare("movement." + Phase.HAND_OFF.key, Phase.HAND_OFF, Goal.atLeast(GOAL_RATIO), tarn, baseline, rows,
        ordered("what", "out of DuckDB + model reads + model writes + back into DuckDB; process start,"
            + " imports and the model excluded", "see", "movement.end_to_end for every timing")));
    for (Phase phase : List.of(Phase.OUT, Phase.READ, Phase.WRITE, Phase.BACK)) {
      Map<String, Object> p = ordered("what", phase.label);
      if (phase == Phase.READ) {
        p.put("note", "Tarn's side memory-maps the file: the pages are read when first touched, which for a model"
            + " returning its input is while writing the output; Parquet's side reads and decodes everything here");
      }
      p.put("see", "movement.end_to_end for every timing");
      results.add(compare("movement." + phase.key, phase, Goal.none(), tarn, baseline, rows, p));
    }
    return results;
  }

  private static Result compare(String name, Phase phase, Goal goal, List<Trip> tarn, List<Trip> baseline, long rows,
      Map<String, Object> parameters) {
    return Result.throughput(name, rows / phase.median(baseline), rows / phase.median(tarn), "rows/s", goal,
        parameters);
  }

  /** Key-value pairs in the order given, so the JSON reads in that order. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Object setting(Connection duckdb, String name) throws SQLException {
    try (Statement s = duckdb.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getObject(1);
    }
  }

  private static Path copyResource(String name, Path dir) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = MovementBenchmark.class.getResourceAsStream("/movement/" + name)) {
      if (in == null) {
        throw new IllegalStateException("resource movement/" + name + " is missing from the benchmarks jar");
      }
      Files.copy(in, target);
    }
    return target;
  }
}
