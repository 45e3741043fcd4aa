package dev.tarn.bench.load;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.WrongAnswerException;
import dev.tarn.bench.ServerProcess;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * B7 load: many concurrent Flight SQL JDBC clients against one Tarn server in a process of its own for a
 * bounded time, mixing prepared point queries, scans with aggregations and one-row commits, each
 * client on its own branch. Reports throughput, p50/p95/p99 latency per statement kind and the
 * errors (goal: none). Every answer is checked; a wrong one fails the benchmark.
 */
public final class LoadBenchmark implements Benchmark {
  public static final int DEFAULT_CLIENTS = 32;
  public static final int QUICK_CLIENTS = 8;
  public static final int DEFAULT_SECONDS = 60;
  public static final int QUICK_SECONDS = 5;
  public static final long DEFAULT_ROWS = 100_000;
  /** How long clients may overrun the deadline (one statement each) before the run is abandoned. */
  private static final long GRACE_SECONDS = 120;

  @Override
  public String name() {
    return "load";
  }

  @Override
  public String description() {
    return "B7: 32 concurrent Flight SQL JDBC clients for 60 s: point queries, scans, one-row commits on own branches";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    int clients = positive("clients", params.setting("clients",
        Integer.toString(params.quick() ? QUICK_CLIENTS : DEFAULT_CLIENTS)));
    int seconds = positive("seconds", params.setting("seconds",
        Integer.toString(params.quick() ? QUICK_SECONDS : DEFAULT_SECONDS)));
    long rows = params.rows(DEFAULT_ROWS, DEFAULT_ROWS);
    PrintStream log = params.log();
    LoadTable table = new LoadTable(rows);
    LoadErrors errors = new LoadErrors();

    Path warehouse = Files.createTempDirectory("tarn-bench-load-");
    List<LoadClient> started = new ArrayList<>();
    try (ServerProcess server = ServerProcess.start(ServerProcess.jar(params.setting("jar", null)), warehouse)) {
      try {
        return measure(server, table, errors, started, clients, seconds, rows, params.quick(), log);
      } finally {
        // before the server goes: the driver closes each client's prepared statement on the server
        started.forEach(LoadClient::close);
      }
    } finally {
      TempDirs.deleteQuietly(warehouse);
    }
  }

  private static List<Result> measure(ServerProcess server, LoadTable table, LoadErrors errors,
      List<LoadClient> started, int clients, int seconds, long rows, boolean quick, PrintStream log)
      throws SQLException, InterruptedException {
    long setupStart = System.nanoTime();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), new Properties());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA s");
      s.execute(table.createSql());
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(v) FROM s.t")) {
        rs.next();
        if (rs.getLong(1) != rows || rs.getLong(2) != table.sumV()) {
          throw new WrongAnswerException("s.t was made with " + rs.getLong(1) + " rows summing to "
              + rs.getLong(2) + ", expected " + rows + " and " + table.sumV());
        }
      }
    }
    for (int i = 0; i < clients; i++) {
      LoadClient client = new LoadClient(i, DriverManager.getConnection(server.jdbcUrl(), new Properties()),
          table, errors);
      started.add(client);
      client.createBranch();
    }
    double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
    log.printf(Locale.ROOT, "setup: s.t with %,d rows on main, %d connections and branches load_0..load_%d in"
        + " %.1f s (not counted)%n", rows, clients, clients - 1, setupSeconds);
    log.printf(Locale.ROOT, "running %d clients for %d s: %d%% point (prepared), %d%% scan, %d%% one-row commit%n",
        clients, seconds, Kind.POINT.percent, Kind.SCAN.percent, Kind.INSERT.percent);

    double windowSeconds = drive(started, seconds);
    for (LoadClient client : started) {
      client.checkBranch();
    }
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), new Properties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), sum(v) FROM s.t")) {
      rs.next();
      if (rs.getLong(1) != rows || rs.getLong(2) != table.sumV()) {
        errors.wrong("main's s.t changed under the load: " + rs.getLong(1) + " rows, sum " + rs.getLong(2));
      }
    }
    if (errors.wrongAnswers() > 0) {
      throw new WrongAnswerException(errors.wrongAnswers() + " wrong answers under load; first: "
          + String.join(" | ", errors.firstWrong()));
    }
    return results(started, errors, clients, seconds, rows, windowSeconds, setupSeconds, quick, log);
  }

  /** Runs every client on its own thread until the deadline; returns the seconds the window lasted. */
  private static double drive(List<LoadClient> clients, int seconds) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(clients.size(), r -> {
      Thread t = new Thread(r, "load-client");
      t.setDaemon(true);
      return t;
    });
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(clients.size());
    long[] deadline = new long[1];
    for (LoadClient client : clients) {
      pool.execute(() -> {
        try {
          go.await();
          client.run(deadline[0]);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
    }
    long start = System.nanoTime();
    deadline[0] = start + TimeUnit.SECONDS.toNanos(seconds);
    go.countDown();
    boolean finished = done.await(seconds + GRACE_SECONDS, TimeUnit.SECONDS);
    double window = (System.nanoTime() - start) / 1e9;
    pool.shutdownNow();
    if (!finished) {
      throw new IllegalStateException(done.getCount() + " clients were still in a statement " + GRACE_SECONDS
          + " s after the deadline");
    }
    return window;
  }

  private static List<Result> results(List<LoadClient> clients, LoadErrors errors, int clientCount, int seconds,
      long rows, double window, double setupSeconds, boolean quick, PrintStream log) {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("clients", clientCount);
    common.put("seconds", seconds);
    common.put("window_seconds", window);
    common.put("rows", rows);
    common.put("quick", quick);
    common.put("mix_percent", Map.of("point", Kind.POINT.percent, "scan", Kind.SCAN.percent,
        "insert", Kind.INSERT.percent));
    common.put("statements", Map.of(
        "point", "SELECT * FROM s.t WHERE id = ? (prepared once per client, on main)",
        "scan", "alternately " + LoadTable.GROUP_BY + " on main, SELECT count(*), sum(v) FROM load_i.s.t",
        "insert", "INSERT INTO load_i.s.t VALUES (...): one row, one commit on the client's branch"));
    common.put("setup", "one Tarn server in a process of its own on a temp warehouse, plain gRPC on loopback; one"
        + " Flight SQL JDBC connection and branch per client; the clients' JVM and the server share "
        + Runtime.getRuntime().availableProcessors() + " cores");
    common.put("setup_seconds", setupSeconds);
    common.put("timing", "from sending a statement to having read its whole result; failed statements not timed");

    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"kind", "ok", "errors", "per s", "p50", "p95", "p99", "max"});
    List<Double> all = new ArrayList<>();
    Map<Kind, Map<String, Object>> perKind = new LinkedHashMap<>();
    long ok = 0;
    for (Kind kind : Kind.values()) {
      List<Double> ms = new ArrayList<>();
      int failed = 0;
      for (LoadClient c : clients) {
        ms.addAll(c.millis(kind));
        failed += c.failed(kind);
      }
      all.addAll(ms);
      ok += ms.size();
      Map<String, Object> k = latencies(ms);
      k.put("errors", failed);
      k.put("per_second", ms.size() / window);
      perKind.put(kind, k);
      table.add(row(kind.key, ms, failed, window));
    }
    table.add(row("all", all, errors.errors(), window));
    log.println();
    Report.printColumns(table, log);
    if (errors.errors() > 0) {
      log.println();
      log.println(errors.errors() + " statements failed; the first " + errors.firstErrors().size() + ":");
      errors.firstErrors().forEach(e -> log.println("  " + e));
    }
    Map<String, Object> kinds = new LinkedHashMap<>();
    perKind.forEach((k, v) -> kinds.put(k.key, v));
    common.put("per_kind", kinds);
    common.put("all", latencies(all));
    common.put("inserts_per_client", clients.stream().map(LoadClient::inserted).toList());
    common.put("errors", errors.errors());
    common.put("first_errors", errors.firstErrors());

    List<Result> results = new ArrayList<>();
    results.add(Result.absolute("load.throughput", ok / window, "statements/s", Goal.none(), common));
    for (Kind kind : Kind.values()) {
      Map<String, Object> p = new LinkedHashMap<>(perKind.get(kind));
      p.put("statement", ((Map<?, ?>) common.get("statements")).get(kind.key));
      if (perKind.get(kind).get("count").equals(0)) {
        continue;
      }
      results.add(Result.absolute("load." + kind.key + ".p99", (Double) perKind.get(kind).get("p99_ms"), "ms",
          Goal.none(), p));
    }
    results.add(Result.absolute("load.errors", errors.errors(), "errors", Goal.below(1, "errors"),
        Map.of("first_errors", errors.firstErrors(), "statements_ok", ok)));
    return results;
  }

  private static String[] row(String name, List<Double> ms, int failed, double window) {
    if (ms.isEmpty()) {
      return new String[] {name, "0", Integer.toString(failed), "0", "-", "-", "-", "-"};
    }
    return new String[] {name, Integer.toString(ms.size()), Integer.toString(failed),
        String.format(Locale.ROOT, "%.1f", ms.size() / window),
        ms(Stats.median(ms)), ms(Stats.percentile(ms, 95)), ms(Stats.percentile(ms, 99)),
        ms(ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))};
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, "%.1f ms", value);
  }

  private static Map<String, Object> latencies(List<Double> ms) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", ms.size());
    if (!ms.isEmpty()) {
      m.put("p50_ms", Stats.median(ms));
      m.put("p95_ms", Stats.percentile(ms, 95));
      m.put("p99_ms", Stats.percentile(ms, 99));
      m.put("mean_ms", ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
      m.put("max_ms", ms.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }
    return m;
  }

  static int positive(String key, String value) {
    try {
      int n = Integer.parseInt(value.trim().replace("_", ""));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--set " + key + ": not a positive whole number: " + value);
  }
}
