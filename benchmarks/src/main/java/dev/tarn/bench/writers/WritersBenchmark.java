package dev.tarn.bench.writers;

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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * B10 appends: many Flight SQL JDBC clients each inserting one row at a time into the same table on
 * {@code main}, for a fixed time. Reports commits per second and latency percentiles, against one
 * client doing the same alone in the same run (the ratio is how throughput scales with writers). A
 * statement the server refuses is counted and retried with the same row; at the end every
 * acknowledged row must be in the table exactly once, and no other row: nothing lost, nothing doubled.
 */
public final class WritersBenchmark implements Benchmark {
  public static final int DEFAULT_CLIENTS = 32;
  public static final int QUICK_CLIENTS = 4;
  public static final int DEFAULT_SECONDS = 60;
  public static final int QUICK_SECONDS = 4;
  static final String TABLE = "bench.appends";

  @Override
  public String name() {
    return "writers";
  }

  @Override
  public String description() {
    return "B10: 32 JDBC clients appending one-row INSERTs to one table on main for 60 s vs one client alone;"
        + " no row lost";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    int clients = Integer.parseInt(params.setting("clients",
        Integer.toString(params.quick() ? QUICK_CLIENTS : DEFAULT_CLIENTS)));
    int seconds = Integer.parseInt(params.setting("seconds",
        Integer.toString(params.quick() ? QUICK_SECONDS : DEFAULT_SECONDS)));
    if (clients < 1 || seconds < 1) {
      throw new IllegalArgumentException("--set clients and seconds must be at least 1");
    }
    int aloneSeconds = Math.max(1, seconds / 4);
    PrintStream log = params.log();
    Path warehouse = Files.createTempDirectory("tarn-bench-writers-");
    try (ServerProcess server = ServerProcess.start(ServerProcess.jar(params.setting("jar", null)), warehouse)) {
      try (Connection c = DriverManager.getConnection(server.jdbcUrl(), new Properties());
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA bench");
        s.execute("CREATE TABLE " + TABLE + " (client INTEGER, seq BIGINT, note VARCHAR)");
      }
      log.printf(Locale.ROOT, "one client alone for %d s, then %d clients at once for %d s, each inserting one row"
          + " per statement into %s on main; refused statements are retried with the same row%n",
          aloneSeconds, clients, seconds, TABLE);
      Round alone = round(server, 1, 0, aloneSeconds);
      Round together = round(server, clients, 1, seconds);
      verify(server, alone, together);
      log.printf(Locale.ROOT, "%n  side           clients  commits  commits/s     p50       p99   refused%n");
      for (Round r : List.of(alone, together)) {
        log.printf(Locale.ROOT, "  %-13s %8d %8d %10.1f %7.1f ms %7.1f ms %8d%n", r == alone ? "alone" : "together",
            r.clients(), r.commits(), r.perSecond(), Stats.median(r.millis()), Stats.percentile(r.millis(), 99),
            r.refused());
      }
      log.println("  every acknowledged row is in the table once, and no other row is");

      Map<String, Object> p = new LinkedHashMap<>();
      p.put("clients", clients);
      p.put("seconds", seconds);
      p.put("alone_seconds", aloneSeconds);
      p.put("statement", "INSERT INTO " + TABLE + " VALUES (client, seq, 'client c row s') through the Flight SQL"
          + " JDBC driver, one connection per client, on main");
      p.put("commits", together.commits());
      p.put("refused_and_retried", together.refused());
      p.put("refusals", together.refusals());
      p.put("p50_ms", Stats.median(together.millis()));
      p.put("p99_ms", Stats.percentile(together.millis(), 99));
      p.put("alone_commits", alone.commits());
      p.put("alone_p50_ms", Stats.median(alone.millis()));
      p.put("alone_p99_ms", Stats.percentile(alone.millis(), 99));
      p.put("rows_checked", alone.commits() + together.commits());
      return List.of(
          Result.throughput("writers.commits_per_second_vs_one_client", alone.perSecond(), together.perSecond(),
              "commits/s", Goal.none(), p),
          Result.absolute("writers.p99_ms", Stats.percentile(together.millis(), 99), "ms", Goal.none(),
              Map.of("clients", clients, "p50_ms", Stats.median(together.millis()))));
    } finally {
      TempDirs.deleteQuietly(warehouse);
    }
  }

  /** What one timed round did: the rows each client had acknowledged, latencies, refusals. */
  record Round(int clients, int firstClient, double seconds, long[] acknowledged, List<Double> millis, long refused,
      Map<String, Integer> refusals) {
    long commits() {
      long n = 0;
      for (long a : acknowledged) {
        n += a;
      }
      return n;
    }

    double perSecond() {
      return commits() / seconds;
    }
  }

  private static Round round(ServerProcess server, int clients, int firstClient, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    List<Future<Writer>> futures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Writer writer = new Writer(server.jdbcUrl(), firstClient + i, deadline);
      futures.add(pool.submit(writer::call));
    }
    long[] acknowledged = new long[clients];
    List<Double> millis = new ArrayList<>();
    long refused = 0;
    Map<String, Integer> refusals = new HashMap<>();
    try {
      for (int i = 0; i < clients; i++) {
        Writer w = futures.get(i).get(seconds + 300L, TimeUnit.SECONDS);
        acknowledged[i] = w.acknowledged;
        millis.addAll(w.millis);
        refused += w.refused;
        w.refusals.forEach((k, v) -> refusals.merge(k, v, Integer::sum));
      }
    } finally {
      pool.shutdownNow();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Round(clients, firstClient, elapsed, acknowledged, millis, refused, refusals);
  }

  /** One client: inserts rows 0, 1, 2... until the deadline; a refused row is sent again. */
  private static final class Writer {
    private static final int MAX_REFUSALS_IN_A_ROW = 1_000;
    private final String url;
    private final int client;
    private final long deadline;
    long acknowledged;
    long refused;
    final List<Double> millis = new ArrayList<>();
    final Map<String, Integer> refusals = new HashMap<>();

    Writer(String url, int client, long deadline) {
      this.url = url;
      this.client = client;
      this.deadline = deadline;
    }

    Writer call() throws SQLException {
      int inARow = 0;
      try (Connection c = DriverManager.getConnection(url, new Properties()); Statement s = c.createStatement()) {
        while (System.nanoTime() < deadline) {
          long t = System.nanoTime();
          try {
            s.executeUpdate(String.format(Locale.ROOT, "INSERT INTO %s VALUES (%d, %d, 'client %d row %d')", TABLE,
                client, acknowledged, client, acknowledged));
            millis.add((System.nanoTime() - t) / 1e6);
            acknowledged++;
            inARow = 0;
          } catch (SQLException e) {
            refused++;
            refusals.merge(firstLine(e.getMessage()), 1, Integer::sum);
            if (++inARow >= MAX_REFUSALS_IN_A_ROW) {
              throw new IllegalStateException("client " + client + " was refused " + inARow + " times in a row: "
                  + e.getMessage(), e);
            }
          }
        }
      }
      return this;
    }

    private static String firstLine(String message) {
      String m = String.valueOf(message).strip();
      int nl = m.indexOf('\n');
      m = nl < 0 ? m : m.substring(0, nl);
      return m.length() <= 160 ? m : m.substring(0, 160);
    }
  }

  /**
   * Every client's acknowledged rows 0..n-1 are in the table exactly once, and nothing else: a refused
   * statement that had in fact committed would show as a duplicate, a lost one as a gap.
   */
  private static void verify(ServerProcess server, Round... rounds) throws SQLException {
    Map<Integer, Long> expected = new HashMap<>();
    for (Round r : rounds) {
      for (int i = 0; i < r.clients(); i++) {
        expected.put(r.firstClient() + i, r.acknowledged()[i]);
      }
    }
    Map<Integer, long[]> found = new HashMap<>();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), new Properties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT client, count(*), count(DISTINCT seq), min(seq), max(seq) FROM "
            + TABLE + " GROUP BY client")) {
      while (rs.next()) {
        found.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
      }
    }
    for (Map.Entry<Integer, Long> e : expected.entrySet()) {
      long n = e.getValue();
      long[] f = found.remove(e.getKey());
      long[] want = n == 0 ? null : new long[] {n, n, 0, n - 1};
      if (n == 0 ? f != null : f == null || f[0] != want[0] || f[1] != want[1] || f[2] != 0 || f[3] != n - 1) {
        throw new WrongAnswerException("client " + e.getKey() + " had " + n + " rows acknowledged, the table holds "
            + (f == null ? "none" : f[0] + " rows (" + f[1] + " distinct, seq " + f[2] + ".." + f[3] + ")"));
      }
    }
    if (!found.isEmpty()) {
      throw new WrongAnswerException("the table holds rows of clients that wrote none: " + found.keySet());
    }
  }
}
