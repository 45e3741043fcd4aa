package dev.tarn.bench.branch;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.ServerProcess;
import dev.tarn.bench.Stats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * B3 branch: Tarn's git-for-data statements through the real SQL path, with 10 and with 1,000
 * tables in the catalog.
 *
 * <p>For each catalog size a fresh Tarn server runs in a process of its own on its own temporary warehouse, with
 * schema {@code b} holding N one-row tables made through SQL (setup, timed apart and never counted).
 * A client holds one Flight SQL JDBC connection per server, as a CI job would, and runs R
 * repetitions of: {@code CREATE BRANCH b_k FROM main}, a one-row {@code INSERT INTO b_k.b.t_0},
 * {@code MERGE BRANCH b_k INTO main}, {@code SHOW LOG main LIMIT 1}, {@code SELECT count(*) FROM b.t_0}
 * and {@code SELECT 1} (the driver's round trip alone). The sizes take turns repetition by
 * repetition, so drift on a shared machine falls on all of them. Untimed warm-up repetitions come
 * first, {@value #DEFAULT_WARMUPS} by default: the servers' JIT compiles the statement path during
 * the first hundred or so, and before that a statement measures the compiler more than the server
 * ({@code --set warmup=5} shows that early phase). Each statement is timed from
 * sending it to having read its result and closed it; p50 (the median) and p99 (nearest rank) are
 * reported per statement and size, and the ratio of p50s between the largest and smallest size.
 *
 * <p>Those repetitions use the stock Flight SQL JDBC driver, which prepares every statement. Then
 * Tarn's own JDBC driver (the one the README gives JDBC tools) runs the same repetitions on a
 * second connection per server, after {@value #TARN_DRIVER_WARMUPS} warm-ups of its own; its p50s
 * are reported for information, without a goal.
 *
 * <p>There is no baseline: absolute results carry the spec's budget ({@code p50 < 10 ms}) and
 * scaling results put the small catalog's p50 in {@code baseline} and the large one's in {@code tarn}.
 */
public final class BranchBenchmark implements Benchmark {
  public static final List<Integer> DEFAULT_SIZES = List.of(10, 1000);
  public static final List<Integer> QUICK_SIZES = List.of(10, 100);
  public static final int DEFAULT_REPETITIONS = 50;
  public static final int QUICK_REPETITIONS = 10;
  public static final int DEFAULT_WARMUPS = 200;
  public static final int QUICK_WARMUPS = 2;
  /**
   * Warm-up repetitions through Tarn's own JDBC driver, after the stock driver's phase: the servers
   * are warm by then, the driver's classes in this JVM are not.
   */
  public static final int TARN_DRIVER_WARMUPS = 100;
  /** "Ratio ~1": the large catalog's p50 at most this many times the small one's. */
  public static final double MAX_SCALING = 1.5;

  @Override
  public String name() {
    return "branch";
  }

  @Override
  public String description() {
    return "B3: CREATE BRANCH, one-row INSERT commit, MERGE (plus SHOW LOG, a read) over Flight SQL JDBC,"
        + " 10 vs 1,000 tables in the catalog; then through Tarn's own JDBC driver, for information";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    List<Integer> sizes = sizes(params.setting("sizes", join(params.quick() ? QUICK_SIZES : DEFAULT_SIZES)));
    int repetitions = params.runs().orElse(params.quick() ? QUICK_REPETITIONS : DEFAULT_REPETITIONS);
    int warmups = params.count("warmup", params.quick() ? QUICK_WARMUPS : DEFAULT_WARMUPS);
    PrintStream log = params.log();
    log.printf(Locale.ROOT, "catalog sizes %s tables; per size %d warm-up + %d timed repetitions, sizes taking"
        + " turns; one Flight SQL JDBC connection per server, each server in its own process%n", sizes, warmups,
        repetitions);
    Path jar = ServerProcess.jar(params.setting("jar", null));

    List<BranchWarehouse> warehouses = new ArrayList<>();
    try {
      for (int size : sizes) {
        log.printf(Locale.ROOT, "  setup: fresh server, CREATE SCHEMA b, %,d x CREATE TABLE b.t_i AS SELECT"
            + " (one row, one commit each)%n", size);
        BranchWarehouse w = BranchWarehouse.open(jar, size, log);
        warehouses.add(w);
        log.printf(Locale.ROOT, "  setup: %,d tables in %.1f s (%.1f ms a table; not counted)%n", size,
            w.setupSeconds(), w.setupSeconds() * 1000 / size);
      }
      System.gc();
      runRepetitions(warehouses, warmups, repetitions, "", false, log);
      // Then Tarn's own JDBC driver, for information: it sends a statement without preparing it (one
      // round trip for an INSERT, two for a query, against the stock driver's three and four). Run
      // after the stock driver's phase, so that the goal's figures are measured as before.
      int tarnDriverWarmups = params.quick() ? QUICK_WARMUPS : TARN_DRIVER_WARMUPS;
      log.printf(Locale.ROOT, "  then Tarn's own JDBC driver (for information): %d warm-up + %d timed"
          + " repetitions per size%n", tarnDriverWarmups, repetitions);
      runRepetitions(warehouses, tarnDriverWarmups, repetitions, "own_", true, log);
      Map<Integer, Map<String, Object>> answers = new LinkedHashMap<>();
      for (BranchWarehouse w : warehouses) {
        answers.put(w.tables(), w.checkAnswers());
      }
      printDetail(warehouses, answers, log);
      return results(warehouses, answers, repetitions, warmups, tarnDriverWarmups, params.quick());
    } finally {
      for (int i = warehouses.size() - 1; i >= 0; i--) {
        warehouses.get(i).close();
      }
    }
  }

  /**
   * Runs the warm-ups, then the timed repetitions, every size taking its turn in each; branches are
   * named {@code <prefix>warm_i} and {@code <prefix>b_i}.
   */
  private static void runRepetitions(List<BranchWarehouse> warehouses, int warmups, int repetitions, String prefix,
      boolean tarnDriver, PrintStream log) throws SQLException {
    for (int i = 0; i < warmups + repetitions; i++) {
      boolean warmup = i < warmups;
      String branch = prefix + (warmup ? "warm_" + i : "b_" + (i - warmups));
      // Alternate the order so neither size always runs right after the other's merge.
      List<BranchWarehouse> order = new ArrayList<>(warehouses);
      if (i % 2 == 1) {
        Collections.reverse(order);
      }
      for (BranchWarehouse w : order) {
        w.repetition(branch, !warmup, tarnDriver);
      }
      if (!warmup && ((i - warmups + 1) % 10 == 0 || i + 1 == warmups + repetitions)) {
        log.printf(Locale.ROOT, "  %d/%d repetitions done%n", i - warmups + 1, repetitions);
      }
    }
  }

  private static void printDetail(List<BranchWarehouse> warehouses, Map<Integer, Map<String, Object>> answers,
      PrintStream log) {
    List<String> header = new ArrayList<>(List.of("statement"));
    for (BranchWarehouse w : warehouses) {
      header.add("p50 " + w.tables() + "t");
      header.add("p99 " + w.tables() + "t");
    }
    for (BranchWarehouse w : warehouses) {
      header.add("Tarn driver p50 " + w.tables() + "t");
    }
    List<String[]> table = new ArrayList<>();
    table.add(header.toArray(String[]::new));
    for (Op op : Op.values()) {
      List<String> row = new ArrayList<>(List.of(op.key));
      for (BranchWarehouse w : warehouses) {
        row.add(String.format(Locale.ROOT, "%.2f ms", Stats.median(w.millis(op))));
        row.add(String.format(Locale.ROOT, "%.2f ms", Stats.percentile(w.millis(op), 99)));
      }
      for (BranchWarehouse w : warehouses) {
        row.add(String.format(Locale.ROOT, "%.2f ms", Stats.median(w.tarnDriverMillis(op))));
      }
      table.add(row.toArray(String[]::new));
    }
    log.println();
    for (BranchWarehouse w : warehouses) {
      Map<String, Object> a = answers.get(w.tables());
      log.printf(Locale.ROOT, "%,d tables: every repetition checked (merge result, log head, row count);"
          + " at the end main's b.t_0 has %s rows and SHOW BRANCHES lists %s branches, as expected%n",
          w.tables(), a.get("main_rows_in_b.t_0"), a.get("branches_listed"));
    }
    Report.printColumns(table, log);
  }

  private static List<Result> results(List<BranchWarehouse> warehouses, Map<Integer, Map<String, Object>> answers,
      int repetitions, int warmups, int tarnDriverWarmups, boolean quick) {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("sizes", warehouses.stream().map(BranchWarehouse::tables).toList());
    common.put("repetitions", repetitions);
    common.put("warmups", warmups);
    common.put("quick", quick);
    common.put("statistic", "p50 = median; p99 = nearest rank (with 50 repetitions: the slowest)");
    common.put("timing", "from Statement.execute to the result read and the statement closed,"
        + " stock Flight SQL JDBC driver, one connection on main per server");
    common.put("setup", "one Tarn server per size in a process of its own, on its own temp warehouse, plain gRPC"
        + " on loopback; sizes take turns repetition by repetition; client and servers share the machine's "
        + Runtime.getRuntime().availableProcessors() + " cores");
    Map<String, Object> setupSeconds = new LinkedHashMap<>();
    warehouses.forEach(w -> setupSeconds.put(w.tables() + "_tables", w.setupSeconds()));
    common.put("setup_seconds", setupSeconds);
    Map<String, Object> checked = new LinkedHashMap<>();
    answers.forEach((size, a) -> checked.put(size + "_tables", a));
    common.put("answers", checked);

    BranchWarehouse small = warehouses.get(0);
    BranchWarehouse large = warehouses.get(warehouses.size() - 1);
    List<Result> results = new ArrayList<>();
    for (Op op : Op.values()) {
      if (op.hasGoal || warehouses.size() == 1) {
        for (BranchWarehouse w : warehouses) {
          Map<String, Object> p = new LinkedHashMap<>(common);
          p.put("statement", op.statement);
          p.put("tables", w.tables());
          describe(p, "", w.millis(op));
          results.add(Result.absolute("branch." + op.key + ".p50." + w.tables() + "_tables",
              Stats.median(w.millis(op)), "ms", op.hasGoal ? Goal.below(op.budgetMs, "ms") : Goal.none(), p));
        }
      }
      if (op.hasGoal || op == Op.SELECT_1) {
        for (BranchWarehouse w : warehouses) {
          Map<String, Object> p = new LinkedHashMap<>(common);
          p.put("statement", op.statement);
          p.put("tables", w.tables());
          p.put("client", "Tarn's own JDBC driver (jdbc:tarn://), for information: measured after the stock"
              + " driver's repetitions, with " + tarnDriverWarmups + " warm-up repetitions of its own");
          describe(p, "", w.tarnDriverMillis(op));
          results.add(Result.absolute("branch." + op.key + ".p50." + w.tables() + "_tables.tarn_jdbc",
              Stats.median(w.tarnDriverMillis(op)), "ms", Goal.none(), p));
        }
      }
      if (warehouses.size() > 1) {
        Map<String, Object> p = new LinkedHashMap<>(common);
        p.put("statement", op.statement);
        p.put("baseline_side", small.tables() + " tables in the catalog");
        describe(p, "baseline_", small.millis(op));
        p.put("tarn_side", large.tables() + " tables in the catalog");
        describe(p, "tarn_", large.millis(op));
        results.add(Result.time("branch." + op.key + ".p50_ratio_" + large.tables() + "_vs_" + small.tables(),
            Stats.median(small.millis(op)), Stats.median(large.millis(op)), "ms",
            op.hasGoal ? Goal.atMost(MAX_SCALING) : Goal.none(), p));
      }
    }
    return results;
  }

  private static void describe(Map<String, Object> p, String prefix, List<Double> ms) {
    p.put(prefix + "p50_ms", Stats.median(ms));
    p.put(prefix + "p99_ms", Stats.percentile(ms, 99));
    p.put(prefix + "mean_ms", ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
    p.put(prefix + "min_ms", ms.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    p.put(prefix + "max_ms", ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    p.put(prefix + "ms", ms);
  }

  /** {@code --set sizes=10,1000}: distinct table counts, at least 1 each, smallest first. */
  static List<Integer> sizes(String value) {
    List<Integer> sizes;
    try {
      sizes = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .map(s -> Integer.parseInt(s.replace("_", ""))).distinct().sorted().toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set sizes: not a list of table counts: " + value);
    }
    if (sizes.isEmpty() || sizes.get(0) < 1) {
      throw new IllegalArgumentException("--set sizes: give table counts of at least 1, e.g. 10,1000: " + value);
    }
    return sizes;
  }

  private static String join(List<Integer> sizes) {
    return String.join(",", sizes.stream().map(String::valueOf).toList());
  }
}
