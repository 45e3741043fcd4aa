package dev.tarn.bench.branch;

import dev.tarn.bench.WrongAnswerException;
import dev.tarn.bench.ServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One B3 catalog size: a fresh Tarn server in a process of its own on its own temporary warehouse, schema
 * {@code b} with N one-row tables {@code b.t_0 .. b.t_(N-1)}, and one Flight SQL JDBC connection on
 * {@code main}, as a CI job would hold (the stock driver; Tarn's own driver opens a second one when
 * first asked for). Runs repetitions (branch, one-row commit on it, merge, log, read) and keeps each
 * statement's latency in milliseconds, per driver; checks every answer as it goes.
 */
final class BranchWarehouse implements AutoCloseable {
  private final int tables;
  private final Path warehouse;
  private final ServerProcess server;
  private final Connection connection;
  /** Tarn's own JDBC driver's connection, opened by the first repetition through it. */
  private Connection tarnDriverConnection;
  private final Map<Op, List<Double>> millis = new EnumMap<>(Op.class);
  private final Map<Op, List<Double>> tarnDriverMillis = new EnumMap<>(Op.class);
  private double setupSeconds;
  /** Merges into main so far, warm-ups included: main's b.t_0 has 1 + merges rows. */
  private int merges;
  private final List<String> branches = new ArrayList<>();

  private BranchWarehouse(int tables, Path warehouse, ServerProcess server, Connection connection) {
    this.tables = tables;
    this.warehouse = warehouse;
    this.server = server;
    this.connection = connection;
    for (Op op : Op.values()) {
      millis.put(op, new ArrayList<>());
      tarnDriverMillis.put(op, new ArrayList<>());
    }
  }

  /** Starts a server on a fresh warehouse and creates the N tables; the time taken is kept, never counted. */
  static BranchWarehouse open(Path jar, int tables, PrintStream log) throws Exception {
    Path warehouse = Files.createTempDirectory("tarn-bench-branch-" + tables + "-");
    ServerProcess server = null;
    Connection connection = null;
    try {
      server = ServerProcess.start(jar, warehouse);
      connection = DriverManager.getConnection(server.jdbcUrl(), new Properties());
      BranchWarehouse w = new BranchWarehouse(tables, warehouse, server, connection);
      w.setUp(log);
      return w;
    } catch (Exception | Error e) {
      closeQuietly(connection, server, warehouse, e);
      throw e;
    }
  }

  private void setUp(PrintStream log) throws SQLException {
    long start = System.nanoTime();
    update("CREATE SCHEMA b", 0);
    for (int i = 0; i < tables; i++) {
      // One statement, so one commit, per table: CREATE TABLE then INSERT would be two.
      update("CREATE TABLE b.t_" + i + " AS SELECT CAST(" + i + " AS BIGINT) AS id, CAST('t" + i
          + "' AS VARCHAR) AS v", -1);
      if ((i + 1) % 250 == 0 && i + 1 < tables) {
        log.printf(Locale.ROOT, "    %,d tables: %,d created (%.1f s)%n", tables, i + 1,
            (System.nanoTime() - start) / 1e9);
      }
    }
    setupSeconds = (System.nanoTime() - start) / 1e9;
    expectCount("b.t_0", 1);
    expectCount("b.t_" + (tables - 1), 1);
    branches.add("main");
  }

  int tables() {
    return tables;
  }

  double setupSeconds() {
    return setupSeconds;
  }

  /** The stock Flight SQL JDBC driver's latencies of {@code op}. */
  List<Double> millis(Op op) {
    return millis.get(op);
  }

  /** Tarn's own JDBC driver's latencies of {@code op}. */
  List<Double> tarnDriverMillis(Op op) {
    return tarnDriverMillis.get(op);
  }

  int merges() {
    return merges;
  }

  /**
   * One repetition on branch {@code name}: each statement timed from sending it until its result is
   * consumed and the statement closed, then its answer checked.
   *
   * @param record false for a warm-up: run and checked like the others, its times dropped
   * @param tarnDriver through Tarn's own JDBC driver instead of the stock Flight SQL driver
   */
  void repetition(String name, boolean record, boolean tarnDriver) throws SQLException {
    Connection c = tarnDriver ? tarnDriverConnection() : connection;
    long id = 1_000_000L + merges;
    Map<Op, Double> times = new EnumMap<>(Op.class);

    long t = System.nanoTime();
    run(c, "CREATE BRANCH " + name + " FROM main");
    times.put(Op.CREATE_BRANCH, ms(t));
    branches.add(name);

    t = System.nanoTime();
    Outcome inserted = run(c, "INSERT INTO " + name + ".b.t_0 VALUES (" + id + ", 'r" + id + "')");
    times.put(Op.INSERT, ms(t));
    if (inserted.updateCount() != 1) {
      throw wrong("INSERT on " + name + " reported " + inserted.updateCount() + " rows, expected 1");
    }

    t = System.nanoTime();
    Outcome merged = run(c, "MERGE BRANCH " + name + " INTO main");
    times.put(Op.MERGE, ms(t));
    merges++;
    List<Object> merge = merged.onlyRow("MERGE BRANCH " + name);
    if (!"main".equals(merge.get(0)) || merge.get(1) == null || !onlyTable(merge.get(2), "b.t_0")) {
      throw wrong("MERGE BRANCH " + name + " INTO main returned " + merge
          + ", expected target main, a commit hash and tables_changed [b.t_0]");
    }

    t = System.nanoTime();
    Outcome log = run(c, "SHOW LOG main LIMIT 1");
    times.put(Op.SHOW_LOG, ms(t));
    List<Object> head = log.onlyRow("SHOW LOG main LIMIT 1");
    if (!merge.get(1).equals(head.get(0))) {
      throw wrong("SHOW LOG main LIMIT 1 gave commit " + head.get(0) + " after merging " + name + " as "
          + merge.get(1));
    }

    t = System.nanoTime();
    Outcome counted = run(c, "SELECT count(*) FROM b.t_0");
    times.put(Op.SELECT_COUNT, ms(t));
    long rows = ((Number) counted.onlyRow("SELECT count(*) FROM b.t_0").get(0)).longValue();
    if (rows != 1 + merges) {
      throw wrong("main's b.t_0 has " + rows + " rows after " + merges + " merges, expected " + (1 + merges));
    }

    t = System.nanoTime();
    Outcome one = run(c, "SELECT 1");
    times.put(Op.SELECT_1, ms(t));
    if (((Number) one.onlyRow("SELECT 1").get(0)).intValue() != 1) {
      throw wrong("SELECT 1 returned " + one.rows());
    }

    if (record) {
      times.forEach((op, ms) -> (tarnDriver ? tarnDriverMillis : millis).get(op).add(ms));
    }
  }

  private Connection tarnDriverConnection() throws SQLException {
    if (tarnDriverConnection == null) {
      tarnDriverConnection = DriverManager.getConnection("jdbc:tarn://" + server.host() + ":" + server.port(),
          new Properties());
    }
    return tarnDriverConnection;
  }

  /**
   * The end-of-run answers: main's {@code b.t_0} has one row per merge plus its first, no other
   * table changed, and {@code SHOW BRANCHES} lists main and every branch made.
   *
   * @return what was checked, for the JSON
   */
  Map<String, Object> checkAnswers() throws SQLException {
    long rows = expectCount("b.t_0", 1 + merges);
    expectCount("b.t_" + (tables - 1), 1);
    Outcome listed = run("SHOW BRANCHES");
    List<String> names = listed.rows().stream().map(r -> String.valueOf(r.get(0))).sorted().toList();
    if (!names.equals(branches.stream().sorted().toList())) {
      throw wrong(tables + " tables: SHOW BRANCHES listed " + names.size() + " branches " + abbreviate(names)
          + ", expected " + branches.size() + " " + abbreviate(branches.stream().sorted().toList()));
    }
    Map<String, Object> answers = new LinkedHashMap<>();
    answers.put("merges", merges);
    answers.put("main_rows_in_b.t_0", rows);
    answers.put("expected_rows_in_b.t_0", 1 + merges);
    answers.put("branches_listed", names.size());
    answers.put("expected_branches", branches.size());
    return answers;
  }

  private long expectCount(String table, long expected) throws SQLException {
    long rows = ((Number) run("SELECT count(*) FROM " + table).onlyRow("count " + table).get(0)).longValue();
    if (rows != expected) {
      throw wrong(tables + " tables: " + table + " on main has " + rows + " rows, expected " + expected);
    }
    return rows;
  }

  private void update(String sql, long expected) throws SQLException {
    Outcome o = run(sql);
    if (expected >= 0 && o.rows() == null && o.updateCount() != expected && o.updateCount() != -1) {
      throw wrong(sql + " reported " + o.updateCount() + " rows");
    }
  }

  /** A statement's result: its rows (every column read), or its update count when it has none. */
  record Outcome(List<List<Object>> rows, long updateCount) {
    List<Object> onlyRow(String what) {
      if (rows == null || rows.size() != 1) {
        throw new WrongAnswerException(what + ": expected one row, got " + (rows == null ? "no result set" : rows));
      }
      return rows.get(0);
    }
  }

  private Outcome run(String sql) throws SQLException {
    return run(connection, sql);
  }

  /** Sends one statement and reads its whole result, as a JDBC client does; closes the statement. */
  private static Outcome run(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      if (!s.execute(sql)) {
        return new Outcome(null, s.getLargeUpdateCount());
      }
      List<List<Object>> rows = new ArrayList<>();
      try (ResultSet rs = s.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(columns);
          for (int c = 1; c <= columns; c++) {
            row.add(value(rs, md.getColumnType(c), c));
          }
          rows.add(row);
        }
      }
      return new Outcome(rows, -1);
    }
  }

  /** Whether a {@code tables_changed} list names exactly {@code table}. */
  private static boolean onlyTable(Object tablesChanged, String table) {
    return tablesChanged instanceof List<?> list && list.size() == 1 && table.equals(String.valueOf(list.get(0)));
  }

  /**
   * A value that outlives its batch: the driver's {@link java.sql.Array} reads its Arrow vector
   * lazily, so a list column ({@code tables_changed}) is copied out as a list of strings.
   */
  private static Object value(ResultSet rs, int type, int column) throws SQLException {
    if (type == java.sql.Types.TIMESTAMP || type == java.sql.Types.TIMESTAMP_WITH_TIMEZONE) {
      // The driver's getObject is not implemented for time-zoned timestamps (SHOW LOG's committed_at).
      return rs.getTimestamp(column);
    }
    Object v = rs.getObject(column);
    if (v instanceof java.sql.Array array) {
      List<String> items = new ArrayList<>();
      for (Object item : (Object[]) array.getArray()) {
        items.add(String.valueOf(item));
      }
      return items;
    }
    return v;
  }

  private WrongAnswerException wrong(String message) {
    return new WrongAnswerException(tables + " tables: " + message);
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static String abbreviate(List<String> names) {
    return names.size() <= 6 ? names.toString()
        : names.subList(0, 3) + "..." + names.subList(names.size() - 3, names.size());
  }

  @Override
  public void close() {
    try {
      if (tarnDriverConnection != null) {
        tarnDriverConnection.close();
      }
    } catch (SQLException e) {
      // the server stops next, ending the session with it
    }
    closeQuietly(connection, server, warehouse, null);
  }

  private static void closeQuietly(Connection connection, ServerProcess server, Path warehouse, Throwable failure) {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
    try {
      if (server != null) {
        server.close();
      }
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
    }
    try (Stream<Path> files = Files.walk(warehouse)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
