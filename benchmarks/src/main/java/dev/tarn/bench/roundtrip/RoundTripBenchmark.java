package dev.tarn.bench.roundtrip;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Result;
import dev.tarn.bench.ServerProcess;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.WrongAnswerException;
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
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The fixed cost of a statement: {@code SELECT 1} through the stock Flight SQL JDBC driver against a
 * Tarn server process, against the same driver talking to a Flight SQL server that does no work
 * ({@link BareFlightSqlServer}). Both see the same round trips (the driver prepares, fetches the
 * FlightInfo, reads the stream and closes), so the ratio is what Tarn adds per statement.
 *
 * <p>Tarn's own JDBC driver is timed afterwards, for information, taking turns with the bare side
 * again: it sends a statement without preparing it (GetFlightInfo and DoGet, two round trips instead
 * of four), so its ratio against the stock driver's bare side mixes the server's cost with the
 * driver's, and carries no goal.
 *
 * <p>{@code --set pause_ms=N} sleeps N ms before each statement, on every side: a client that thinks
 * between statements, as B2's does while DuckDB runs a query. Threads and caches go cold in a pause,
 * and this shows what that costs a bare Flight SQL server as much as Tarn.
 */
public final class RoundTripBenchmark implements Benchmark {
  public static final int DEFAULT_RUNS = 5;
  static final int FULL_STATEMENTS_PER_RUN = 400;
  static final int QUICK_STATEMENTS_PER_RUN = 40;
  /** The performance issue's goal: within 1.5x of a bare Flight round trip. */
  public static final double GOAL = 1.5;
  static final String QUERY = "SELECT 1";

  @Override
  public String name() {
    return "roundtrip";
  }

  @Override
  public String description() {
    return "fixed cost per statement: JDBC SELECT 1 on Tarn vs the same driver on a Flight SQL server that does no work";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    int runs = params.runs(DEFAULT_RUNS);
    int perRun = Integer.parseInt(params.setting("statements",
        Integer.toString(params.quick() ? QUICK_STATEMENTS_PER_RUN : FULL_STATEMENTS_PER_RUN)));
    long pauseMillis = Long.parseLong(params.setting("pause_ms", "0"));
    if (pauseMillis < 0) {
      throw new IllegalArgumentException("pause_ms must be 0 or more, not " + pauseMillis);
    }
    PrintStream log = params.log();
    Path warehouse = Files.createTempDirectory("tarn-bench-roundtrip-");
    try (BufferAllocator allocator = new RootAllocator();
        BareFlightSqlServer bare = new BareFlightSqlServer(allocator);
        ServerProcess tarn = ServerProcess.start(ServerProcess.jar(params.setting("jar", null)), warehouse);
        Connection tarnConnection = DriverManager.getConnection(tarn.jdbcUrl(), new Properties());
        Connection bareConnection = DriverManager.getConnection(
            "jdbc:arrow-flight-sql://127.0.0.1:" + bare.port() + "/?useEncryption=false", new Properties());
        Connection tarnDriverConnection = DriverManager.getConnection(
            "jdbc:tarn://" + tarn.host() + ":" + tarn.port(), new Properties())) {
      log.printf(Locale.ROOT, "%s through the Flight SQL JDBC driver: %d warm-up statements per side, then %d"
          + " run(s) of %d per side, sides taking turns; each statement timed, after a pause of %d ms%n", QUERY,
          perRun, runs, perRun, pauseMillis);
      Sides sides = new Sides(perRun, pauseMillis);
      sides.time(tarnConnection);
      sides.time(bareConnection);
      List<Double> tarnMillis = new ArrayList<>();
      List<Double> bareMillis = new ArrayList<>();
      sides.takeTurns(tarnConnection, tarnMillis, bareConnection, bareMillis, runs);
      // Then Tarn's own driver, taking turns with the bare side again: measured after the stock
      // driver's runs, so that those see the server exactly as before this side was added.
      sides.time(tarnDriverConnection);
      List<Double> tarnDriverMillis = new ArrayList<>();
      List<Double> bareAgainMillis = new ArrayList<>();
      sides.takeTurns(tarnDriverConnection, tarnDriverMillis, bareConnection, bareAgainMillis, runs);
      if (bare.statements() != (long) perRun * (2 * runs + 1)) {
        throw new WrongAnswerException("the bare server answered " + bare.statements() + " statements, not "
            + perRun * (2 * runs + 1));
      }
      double tarnP50 = Stats.median(tarnMillis);
      double bareP50 = Stats.median(bareMillis);
      log.printf(Locale.ROOT, "%n  side                      p50        p99%n");
      log.printf(Locale.ROOT, "  bare Flight SQL server  %6.3f ms  %6.3f ms%n", bareP50, Stats.percentile(bareMillis, 99));
      log.printf(Locale.ROOT, "  Tarn                    %6.3f ms  %6.3f ms%n", tarnP50, Stats.percentile(tarnMillis, 99));
      double tarnDriverP50 = Stats.median(tarnDriverMillis);
      double bareAgainP50 = Stats.median(bareAgainMillis);
      log.printf(Locale.ROOT, "  then Tarn's own driver, against the stock driver on the bare server again:%n");
      log.printf(Locale.ROOT, "  bare Flight SQL server  %6.3f ms  %6.3f ms%n", bareAgainP50,
          Stats.percentile(bareAgainMillis, 99));
      log.printf(Locale.ROOT, "  Tarn, Tarn's driver     %6.3f ms  %6.3f ms%n", tarnDriverP50,
          Stats.percentile(tarnDriverMillis, 99));

      Map<String, Object> p = new LinkedHashMap<>();
      p.put("query", QUERY);
      p.put("statements_per_run", perRun);
      p.put("runs", runs);
      p.put("pause_ms_before_each_statement", pauseMillis);
      p.put("client", "Flight SQL JDBC driver, Statement.executeQuery, one connection per side");
      p.put("baseline_side", "a Flight SQL server in the benchmark's JVM answering every statement with one constant row");
      p.put("tarn_side", "a Tarn server process on an empty warehouse");
      p.put("baseline_p99_ms", Stats.percentile(bareMillis, 99));
      p.put("tarn_p99_ms", Stats.percentile(tarnMillis, 99));
      Map<String, Object> own = new LinkedHashMap<>(p);
      own.put("client", "Tarn's JDBC driver, Statement.executeQuery (GetFlightInfo and DoGet), against the stock"
          + " driver's bare side");
      own.put("tarn_p99_ms", Stats.percentile(tarnDriverMillis, 99));
      own.put("baseline_p99_ms", Stats.percentile(bareAgainMillis, 99));
      return List.of(
          Result.time("roundtrip.jdbc_select1_vs_bare_flight", bareP50, tarnP50, "ms", Goal.atMost(GOAL), p),
          Result.time("roundtrip.tarn_jdbc_select1_vs_bare_flight", bareAgainP50, tarnDriverP50, "ms", Goal.none(),
              own));
    } finally {
      TempDirs.deleteQuietly(warehouse);
    }
  }

  /** How each side is timed: {@code perRun} statements a run, each after {@code pauseMillis}. */
  private record Sides(int perRun, long pauseMillis) {

    /** {@code runs} runs per side, the sides taking turns, each side's times kept. */
    void takeTurns(Connection first, List<Double> firstMillis, Connection second, List<Double> secondMillis,
        int runs) throws SQLException, InterruptedException {
      for (int run = 0; run < runs; run++) {
        firstMillis.addAll(time(first));
        secondMillis.addAll(time(second));
      }
    }

    /** Runs the query {@code perRun} times, checking each answer; milliseconds per statement. */
    List<Double> time(Connection connection) throws SQLException, InterruptedException {
      List<Double> millis = new ArrayList<>(perRun);
      try (Statement statement = connection.createStatement()) {
        for (int i = 0; i < perRun; i++) {
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
          long start = System.nanoTime();
          try (ResultSet rows = statement.executeQuery(QUERY)) {
            if (!rows.next() || rows.getInt(1) != 1 || rows.next()) {
              throw new WrongAnswerException(QUERY + " did not answer one row holding 1");
            }
          }
          millis.add((System.nanoTime() - start) / 1e6);
        }
      }
      return millis;
    }
  }
}
