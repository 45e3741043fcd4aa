package dev.tarn.bench.stream;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.stream.StreamQuery.Tally;
import dev.tarn.executor.EngineConfig;
import dev.tarn.bench.ServerProcess;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBDriver;

/**
 * B1 stream: one wide {@code SELECT} of N rows x 4 columns fetched five ways.
 *
 * <ul>
 *   <li>(a) embedded DuckDB exporting Arrow in-process: the ceiling, nothing is copied or sent;
 *   <li>(b) embedded DuckDB's JDBC ResultSet, row by row, all four columns;
 *   <li>(c) Tarn through the native Flight SQL client, counting rows and summing one column;
 *   <li>(d) Tarn through the stock Flight SQL JDBC driver, row by row, all four columns;
 *   <li>(e) Tarn through Tarn's own JDBC driver (the one the README gives JDBC tools), as (d).
 * </ul>
 *
 * <p>The Tarn server runs in a process of its own on a temporary warehouse; client and server share
 * the machine's cores. The sides take turns, first for the warm-up rounds ({@value #DEFAULT_WARMUPS}
 * by default: both JVMs compile the streaming path over the first several fetches of 10M rows, and
 * a server that has served for a while is past that), then for each timed run, so that drift on a
 * shared machine spreads over all of them; the median is reported, and every warm-up's time too.
 * Every fetch is checked against the answer computed in closed form.
 */
public final class StreamBenchmark implements Benchmark {
  public static final long DEFAULT_ROWS = 10_000_000L;
  public static final long QUICK_ROWS = 200_000L;
  public static final int DEFAULT_RUNS = 5;
  /** Untimed rounds of fetches first, every side taking its turn ({@code --set warmup_rounds=N}). */
  public static final int DEFAULT_WARMUPS = 10;
  public static final int QUICK_WARMUPS = 1;

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public String description() {
    return "B1: SELECT of N rows x 4 columns over Flight SQL (native client, stock and Tarn's JDBC drivers)"
        + " vs embedded DuckDB (Arrow export, JDBC ResultSet)";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    long rows = params.rows(DEFAULT_ROWS, QUICK_ROWS);
    int runs = params.runs(DEFAULT_RUNS);
    int warmups = params.count("warmup_rounds", params.quick() ? QUICK_WARMUPS : DEFAULT_WARMUPS);
    String sql = StreamQuery.sql(rows);
    PrintStream log = params.log();
    int cores = Runtime.getRuntime().availableProcessors();

    Path warehouse = Files.createTempDirectory("tarn-bench-stream-");
    try (BufferAllocator allocator = new RootAllocator();
        ServerProcess server = ServerProcess.start(ServerProcess.jar(params.setting("jar", null)), warehouse)) {
      // the server serves with the engine's defaults, which the embedded side copies
      EngineConfig engine = EngineConfig.defaults(warehouse);
      log.printf(Locale.ROOT, "%,d rows x %d columns; %d warm-up round(s) then %d timed run(s), the sides taking"
          + " turns, median reported%n", rows, StreamQuery.COLUMNS, warmups, runs);
      log.printf(Locale.ROOT, "Tarn server in its own process on %s:%d: client and server share the %d cores;"
          + " DuckDB %d threads and %,d rows per Arrow batch on both sides%n",
          server.host(), server.port(), cores, engine.threads(), engine.batchRows());

      try (Connection duckdb = openEmbeddedDuckDb(engine.threads()); Sides sides = new Sides()) {
        sides.add(new DuckDbArrowExport(duckdb, allocator, sql, engine.batchRows()));
        sides.add(new JdbcRows("b", "embedded DuckDB, JDBC ResultSet row by row", duckdb, false, sql));
        sides.add(new TarnNativeClient(allocator, server.host(), server.port(), sql));
        sides.add(new JdbcRows("d", "Tarn, stock Flight SQL JDBC driver row by row",
            DriverManager.getConnection(server.jdbcUrl(), new Properties()), true, sql));
        sides.add(new JdbcRows("e", "Tarn, Tarn's own JDBC driver row by row",
            DriverManager.getConnection("jdbc:tarn://" + server.host() + ":" + server.port(), new Properties()),
            true, sql));
        Measurements m = measure(sides.list, rows, warmups, runs, log);
        printSides(sides.list, m, rows, log);
        return results(sides.list, m, rows, warmups, runs, sql, engine, cores, params.quick());
      }
    } finally {
      TempDirs.deleteQuietly(warehouse);
    }
  }

  /** Seconds per side key (warm-ups apart), and the Arrow size of the result as (a) exported it. */
  private record Measurements(Map<String, List<Double>> warmupSeconds, Map<String, List<Double>> seconds,
      long arrowBytes) {
    double median(String key) {
      return Stats.median(seconds.get(key));
    }
  }

  private static Measurements measure(List<StreamSide> sides, long rows, int warmups, int runs, PrintStream log)
      throws Exception {
    Map<String, List<Double>> warmupSeconds = new LinkedHashMap<>();
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (StreamSide side : sides) {
      warmupSeconds.put(side.key(), new ArrayList<>());
      seconds.put(side.key(), new ArrayList<>());
    }
    long arrowBytes = 0;
    for (int round = 1; round <= warmups + runs; round++) {
      boolean warmup = round <= warmups;
      for (StreamSide side : sides) {
        System.gc();
        long start = System.nanoTime();
        Tally tally = side.fetch();
        double s = (System.nanoTime() - start) / 1e9;
        StreamQuery.check(side.label(), tally, rows);
        if (side.key().equals("a")) {
          arrowBytes = tally.arrowBytes();
        }
        (warmup ? warmupSeconds : seconds).get(side.key()).add(s);
        String label = warmup ? "warm-up " + round + "/" + warmups : "run " + (round - warmups) + "/" + runs;
        log.printf(Locale.ROOT, "  %-13s (%s) %-45s %8.3f s%n", label, side.key(), side.label(), s);
      }
    }
    return new Measurements(warmupSeconds, seconds, arrowBytes);
  }

  private static void printSides(List<StreamSide> sides, Measurements m, long rows, PrintStream log) {
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"side", "median", "rows/s", "MB/s"});
    for (StreamSide side : sides) {
      double s = m.median(side.key());
      table.add(new String[] {
          "(" + side.key() + ") " + side.label(),
          String.format(Locale.ROOT, "%.3f s", s),
          Report.quantity(rows / s, "rows/s"),
          String.format(Locale.ROOT, "%.1f MB/s", m.arrowBytes() / 1e6 / s)});
    }
    log.println();
    log.printf(Locale.ROOT, "every side saw %,d rows and sum(a) = %,d; the JDBC sides also read and checked id, b and c."
        + " MB/s = %.1f MB (the result's Arrow size) / median time%n", rows, StreamQuery.expectedSumA(rows),
        m.arrowBytes() / 1e6);
    Report.printColumns(table, log);
  }

  private static List<Result> results(List<StreamSide> sides, Measurements m, long rows, int warmups, int runs,
      String sql, EngineConfig engine, int cores, boolean quick) {
    Map<String, StreamSide> byKey = new LinkedHashMap<>();
    sides.forEach(s -> byKey.put(s.key(), s));
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("rows", rows);
    common.put("columns", StreamQuery.COLUMNS);
    common.put("runs", runs);
    common.put("warmups", warmups);
    common.put("statistic", "median");
    common.put("quick", quick);
    common.put("query", sql);
    common.put("arrow_bytes", m.arrowBytes());
    common.put("batch_rows", engine.batchRows());
    common.put("duckdb_threads", engine.threads());
    common.put("setup", "Tarn server in a process of its own on a temp warehouse, plain gRPC on loopback;"
        + " client and server share the machine's " + cores + " cores");
    common.put("checksum", Map.of("rows", rows, "sum_a", StreamQuery.expectedSumA(rows)));

    return List.of(
        compare("stream.native_vs_arrow_export", byKey.get("a"), byKey.get("c"), Goal.atLeast(0.8), m, rows, common),
        compare("stream.jdbc_vs_duckdb_jdbc", byKey.get("b"), byKey.get("d"), Goal.atLeast(0.8), m, rows, common),
        compare("stream.tarn_jdbc_vs_duckdb_jdbc", byKey.get("b"), byKey.get("e"), Goal.atLeast(0.8), m, rows, common),
        compare("stream.native_vs_duckdb_jdbc", byKey.get("b"), byKey.get("c"), Goal.none(), m, rows, common));
  }

  private static Result compare(String name, StreamSide baseline, StreamSide tarn, Goal goal, Measurements m,
      long rows, Map<String, Object> common) {
    Map<String, Object> p = new LinkedHashMap<>(common);
    describe(p, "baseline", baseline, m, rows);
    describe(p, "tarn", tarn, m, rows);
    return Result.throughput(name, rows / m.median(baseline.key()), rows / m.median(tarn.key()), "rows/s", goal, p);
  }

  private static void describe(Map<String, Object> p, String role, StreamSide side, Measurements m, long rows) {
    double median = m.median(side.key());
    p.put(role + "_side", "(" + side.key() + ") " + side.label());
    p.put(role + "_seconds", m.seconds().get(side.key()));
    p.put(role + "_warmup_seconds", m.warmupSeconds().get(side.key()));
    p.put(role + "_median_seconds", median);
    p.put(role + "_mb_per_second", m.arrowBytes() / 1e6 / median);
  }

  /** The baseline's own in-memory DuckDB, streaming results, with the server engine's thread count. */
  private static Connection openEmbeddedDuckDb(int threads) throws SQLException {
    Properties props = new Properties();
    props.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
    Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
    try (Statement s = c.createStatement()) {
      s.execute("SET threads = " + threads);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The sides opened so far, closed in reverse order however the run ends. */
  private static final class Sides implements AutoCloseable {
    private final List<StreamSide> list = new ArrayList<>();

    void add(StreamSide side) {
      list.add(side);
    }

    @Override
    public void close() {
      RuntimeException first = null;
      for (int i = list.size() - 1; i >= 0; i--) {
        try {
          list.get(i).close();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
