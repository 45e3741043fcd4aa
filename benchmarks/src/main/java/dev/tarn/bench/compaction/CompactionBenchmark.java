package dev.tarn.bench.compaction;

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

/**
 * B12 compaction: a table written by one-row INSERTs (one data file each) read with {@code SELECT
 * count(*)} and with a filtered scan, before and after {@code OPTIMIZE TABLE}, through the stock
 * Flight SQL JDBC driver against a Tarn server process. The baseline is the same query on the same
 * table before compacting, so each ratio says how much faster the compacted table reads. Every
 * answer is checked against the rows inserted, and OPTIMIZE must keep every row.
 */
public final class CompactionBenchmark implements Benchmark {
  public static final int DEFAULT_INSERTS = 1_000;
  public static final int QUICK_INSERTS = 50;
  public static final int DEFAULT_RUNS = 9;
  static final int GROUPS = 10;
  static final int FILTERED_GROUP = 3;

  /** One query, timed on both versions of the table. */
  enum Query {
    COUNT("count", "SELECT count(*) FROM bench.events"),
    FILTERED("filtered_scan",
        "SELECT count(*), sum(v) FROM bench.events WHERE grp = " + FILTERED_GROUP + " AND v > 0");

    final String key;
    final String sql;

    Query(String key, String sql) {
      this.key = key;
      this.sql = sql;
    }
  }

  @Override
  public String name() {
    return "compaction";
  }

  @Override
  public String description() {
    return "B12: a table after 1,000 one-row INSERTs, count(*) and a filtered scan after OPTIMIZE TABLE vs before";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    int inserts = (int) params.rows(DEFAULT_INSERTS, QUICK_INSERTS);
    int runs = params.runs(DEFAULT_RUNS);
    PrintStream log = params.log();
    Path warehouse = Files.createTempDirectory("tarn-bench-compaction-");
    try (ServerProcess server = ServerProcess.start(ServerProcess.jar(params.setting("jar", null)), warehouse);
        Connection c = DriverManager.getConnection(server.jdbcUrl(), new Properties());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA bench");
      s.execute("CREATE TABLE bench.events (id BIGINT, grp INTEGER, v DOUBLE, note VARCHAR)");
      long t = System.nanoTime();
      for (int id = 0; id < inserts; id++) {
        s.executeUpdate(String.format(Locale.ROOT, "INSERT INTO bench.events VALUES (%d, %d, %s, 'row %d')",
            id, group(id), value(id), id));
      }
      double insertSeconds = (System.nanoTime() - t) / 1e9;
      log.printf(Locale.ROOT, "%,d one-row INSERTs in %.1f s%n", inserts, insertSeconds);

      Map<Query, List<Double>> before = timeAll(s, inserts, runs, "before", log);
      t = System.nanoTime();
      List<String> optimized = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("OPTIMIZE TABLE bench.events")) {
        rs.next();
        for (String column : List.of("files_before", "files_after", "rows")) {
          optimized.add(rs.getString(column));
        }
      }
      double optimizeSeconds = (System.nanoTime() - t) / 1e9;
      log.printf(Locale.ROOT, "OPTIMIZE TABLE: %s files became %s, %s rows rewritten, in %.2f s%n",
          optimized.get(0), optimized.get(1), optimized.get(2), optimizeSeconds);
      if (!optimized.get(2).equals(Integer.toString(inserts))) {
        throw new WrongAnswerException("OPTIMIZE rewrote " + optimized.get(2) + " rows, expected " + inserts);
      }
      Map<Query, List<Double>> after = timeAll(s, inserts, runs, "after", log);

      Map<String, Object> common = new LinkedHashMap<>();
      common.put("inserts", inserts);
      common.put("files_before", Long.parseLong(optimized.get(0)));
      common.put("files_after", Long.parseLong(optimized.get(1)));
      common.put("insert_seconds", insertSeconds);
      common.put("optimize_seconds", optimizeSeconds);
      common.put("runs", runs);
      common.put("statistic", "median");
      common.put("quick", params.quick());
      List<Result> results = new ArrayList<>();
      for (Query q : Query.values()) {
        Map<String, Object> parameters = new LinkedHashMap<>(common);
        parameters.put("sql", q.sql);
        parameters.put("before_seconds", before.get(q));
        parameters.put("after_seconds", after.get(q));
        // lower is better: the compacted table's time over the uncompacted one's
        results.add(Result.time("compaction." + q.key + "_after_vs_before", Stats.median(before.get(q)),
            Stats.median(after.get(q)), "s", Goal.none(), parameters));
      }
      return results;
    } finally {
      TempDirs.deleteQuietly(warehouse);
    }
  }

  static int group(int id) {
    return id % GROUPS;
  }

  /** Half the values are negative, so the filter keeps about a twentieth of the rows. */
  static String value(int id) {
    return (id % 4 < 2 ? "" : "-") + id + ".5";
  }

  /** The answer to {@code query} over the rows {@code 0..inserts-1}, as the JDBC strings. */
  static List<String> expected(Query query, int inserts) {
    if (query == Query.COUNT) {
      return List.of(Long.toString(inserts));
    }
    long count = 0;
    double sum = 0;
    for (int id = 0; id < inserts; id++) {
      double v = Double.parseDouble(value(id));
      if (group(id) == FILTERED_GROUP && v > 0) {
        count++;
        sum += v;
      }
    }
    return List.of(Long.toString(count), Double.toString(sum));
  }

  private static Map<Query, List<Double>> timeAll(Statement s, int inserts, int runs, String side, PrintStream log)
      throws SQLException {
    Map<Query, List<Double>> out = new LinkedHashMap<>();
    for (Query q : Query.values()) {
      answer(s, q, inserts); // warm-up, and the first answer checked
      List<Double> seconds = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        answer(s, q, inserts);
        seconds.add((System.nanoTime() - t) / 1e9);
      }
      out.put(q, seconds);
      log.printf(Locale.ROOT, "  %-6s %-14s median %.4f s over %d runs%n", side, q.key, Stats.median(seconds), runs);
    }
    return out;
  }

  private static void answer(Statement s, Query q, int inserts) throws SQLException {
    List<String> got = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(q.sql)) {
      rs.next();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        got.add(q == Query.COUNT || i == 1 ? Long.toString(rs.getLong(i)) : Double.toString(rs.getDouble(i)));
      }
    }
    List<String> want = expected(q, inserts);
    if (!got.equals(want)) {
      throw new WrongAnswerException(q.key + ": got " + got + ", expected " + want);
    }
  }
}
