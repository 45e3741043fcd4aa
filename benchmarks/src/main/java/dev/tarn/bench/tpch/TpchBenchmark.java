package dev.tarn.bench.tpch;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.WrongAnswerException;
import dev.tarn.executor.EngineConfig;
import dev.tarn.bench.ServerProcess;
import dev.tarn.bench.roundtrip.BareFlightSqlServer;
import io.trino.tpch.TpchTable;
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
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableExistsOption;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions.TableNotExistOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.duckdb.DuckDBResultSet;

/**
 * B2 tpch: the 22 TPC-H queries through Tarn's Flight SQL endpoint against embedded DuckDB over
 * the same rows as Parquet files, in one process run.
 *
 * <p>Setup (timed apart, reported for information): TPC-H data generated in Java
 * ({@code io.trino.tpch}) is bulk-ingested into a Tarn server in a process of its own, one Iceberg table per
 * TPC-H table on {@code main} (schema {@code public}), through the native Flight SQL client's
 * {@code executeIngest}; the same generated rows are written as one Parquet file per table by an
 * embedded DuckDB, which then queries views over {@code read_parquet}.
 *
 * <p>Then a cold pass (each query's first run on each side) and {@code runs} warm passes; within a
 * pass the sides alternate which goes first, query by query. Every Tarn answer must equal the
 * embedded DuckDB answer of the same pass (all rows, in order when the query has ORDER BY, decimals
 * exactly, doubles within 1e-9 relative); at SF 0.01 every answer must also match the answers shipped
 * in the tpch jar. The ratio is Tarn's total time over the baseline's (goals: warm at most 1.05x, cold
 * at most 1.15x).
 */
public final class TpchBenchmark implements Benchmark {
  public static final double DEFAULT_SF = 1.0;
  public static final double QUICK_SF = 0.01;
  public static final int DEFAULT_RUNS = 3;
  public static final double WARM_GOAL = 1.05;
  public static final double COLD_GOAL = 1.15;
  static final String SCHEMA = "public";

  @Override
  public String name() {
    return "tpch";
  }

  @Override
  public String description() {
    return "B2: the 22 TPC-H queries through Tarn's Flight SQL endpoint vs embedded DuckDB over the same Parquet";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    double sf = scaleFactor(params);
    int runs = params.runs(DEFAULT_RUNS);
    PrintStream log = params.log();
    boolean checkReference = Math.abs(sf - ReferenceAnswers.SCALE_FACTOR) < 1e-12;
    List<TpchQuery> queries = TpchQuery.all();

    Path warehouse = Files.createTempDirectory("tarn-bench-tpch-");
    Path parquet = Files.createTempDirectory("tarn-bench-tpch-parquet-");
    try (BufferAllocator allocator = new RootAllocator();
        ServerProcess server = ServerProcess.start(ServerProcess.jar(params.setting("jar", null)), warehouse);
        FlightSqlClient tarn = new FlightSqlClient(
            FlightClient.builder(allocator, Location.forGrpcInsecure(server.host(), server.port())).build());
        Connection duckdb = openEmbeddedDuckDb(EngineConfig.defaults(warehouse));
        BareFlightSqlServer bare = new BareFlightSqlServer(allocator);
        FlightSqlClient bareClient = new FlightSqlClient(
            FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", bare.port())).build())) {
      // the server serves with the engine's defaults, which the embedded side copies
      EngineConfig engine = EngineConfig.defaults(warehouse);
      log.printf(Locale.ROOT, "TPC-H SF %s; Tarn server in its own process on %s:%d (DuckDB %d threads), embedded DuckDB"
          + " %d threads; 1 cold + %d warm pass(es)%n", fmt(sf), server.host(), server.port(), engine.threads(),
          engine.threads(), runs);

      Map<String, Object> load = load(sf, engine.batchRows(), allocator, tarn, duckdb, parquet, log);
      // the bare side's channel is opened and its first calls made before the cold pass, as the load
      // did for Tarn's: the floor's cold figure is the pause, not a new connection
      for (int i = 0; i < 20; i++) {
        bareRoundTrip(bareClient);
      }

      Map<String, Answer> expected = new LinkedHashMap<>();
      Map<String, List<Double>> baselineTimes = new LinkedHashMap<>();
      Map<String, List<Double>> tarnTimes = new LinkedHashMap<>();
      Map<String, List<Double>> bareTimes = new LinkedHashMap<>();
      for (TpchQuery q : queries) {
        baselineTimes.put(q.key(), new ArrayList<>());
        tarnTimes.put(q.key(), new ArrayList<>());
        bareTimes.put(q.key(), new ArrayList<>());
      }
      int referenceChecked = 0;
      for (int pass = 0; pass <= runs; pass++) {
        long passStart = System.nanoTime();
        for (TpchQuery q : queries) {
          boolean baselineFirst = (q.number() + pass) % 2 == 1;
          Timed base = null;
          Timed mine = null;
          for (int side = 0; side < 2; side++) {
            if ((side == 0) == baselineFirst) {
              base = timed(() -> duckDbAnswer(duckdb, allocator, q.sql(), engine.batchRows()));
              bareTimes.get(q.key()).add(bareRoundTrip(bareClient));
            } else {
              mine = timed(() -> tarnAnswer(tarn, q.sql()));
            }
          }
          String why = Answer.difference(base.answer(), mine.answer(), q.ordered());
          if (why != null) {
            throw new WrongAnswerException("SF " + fmt(sf) + " " + q.key() + ", pass " + pass
                + ": Tarn's answer differs from embedded DuckDB's: " + why);
          }
          Answer first = expected.putIfAbsent(q.key(), base.answer());
          if (first != null && Answer.difference(first, base.answer(), q.ordered()) != null) {
            throw new WrongAnswerException(q.key() + ": embedded DuckDB gave a different answer in pass " + pass
                + ": " + Answer.difference(first, base.answer(), q.ordered()));
          }
          if (pass == 0 && checkReference) {
            String ref = ReferenceAnswers.difference(q.number(), mine.answer());
            if (ref != null) {
              throw new WrongAnswerException("SF 0.01 " + q.key() + ": Tarn's answer differs from the answer shipped"
                  + " in the tpch jar: " + ref);
            }
            referenceChecked++;
          }
          baselineTimes.get(q.key()).add(base.seconds());
          tarnTimes.get(q.key()).add(mine.seconds());
        }
        log.printf(Locale.ROOT, "  %s pass done in %.1f s, every answer equal%n",
            pass == 0 ? "cold" : "warm " + pass, (System.nanoTime() - passStart) / 1e9);
      }
      if (checkReference) {
        log.printf(Locale.ROOT, "  all %d answers also match the SF 0.01 answers shipped in the tpch jar%n",
            referenceChecked);
      }
      return results(sf, runs, queries, expected, baselineTimes, tarnTimes, bareTimes, load, referenceChecked, engine,
          log);
    } finally {
      TempDirs.deleteQuietly(warehouse);
      TempDirs.deleteQuietly(parquet);
    }
  }

  static double scaleFactor(BenchParams params) {
    String value = params.setting("sf", params.quick() ? fmt(QUICK_SF) : fmt(DEFAULT_SF));
    double sf;
    try {
      sf = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--set sf=" + value + ": not a scale factor");
    }
    if (!(sf > 0) || sf > 1000) {
      throw new IllegalArgumentException("--set sf=" + value + ": the scale factor must be above 0 and at most 1000");
    }
    return sf;
  }

  /**
   * Loads every table into Tarn (bulk ingest: one commit per table) and writes it as Parquet for
   * the baseline; both from the same deterministic generator. Checks the row counts on both sides.
   */
  private static Map<String, Object> load(double sf, int batchRows, BufferAllocator allocator, FlightSqlClient tarn,
      Connection duckdb, Path parquet, PrintStream log) throws Exception {
    Map<String, Object> load = new LinkedHashMap<>();
    Map<String, Long> rowCounts = new LinkedHashMap<>();
    double tarnSeconds = 0;
    double parquetSeconds = 0;
    TableDefinitionOptions create = TableDefinitionOptions.newBuilder()
        .setIfNotExist(TableNotExistOption.TABLE_NOT_EXIST_OPTION_CREATE)
        .setIfExists(TableExistsOption.TABLE_EXISTS_OPTION_FAIL)
        .build();
    for (TpchTable<?> table : TpchData.tables()) {
      String name = table.getTableName();
      long t = System.nanoTime();
      long ingested;
      try (ArrowReader reader = TpchData.reader(table, sf, batchRows, allocator)) {
        ingested = tarn.executeIngest(reader,
            new FlightSqlClient.ExecuteIngestOptions(name, create, null, SCHEMA, Map.of()));
      }
      double ts = (System.nanoTime() - t) / 1e9;
      tarnSeconds += ts;

      t = System.nanoTime();
      Path file = parquet.resolve(name + ".parquet");
      try (ArrowReader reader = TpchData.reader(table, sf, batchRows, allocator);
          ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
        Data.exportArrayStream(allocator, reader, stream);
        String staging = "tpch_gen_" + name;
        duckdb.unwrap(DuckDBConnection.class).registerArrowStream(staging, stream);
        try (Statement s = duckdb.createStatement()) {
          s.execute("COPY (SELECT * FROM " + staging + ") TO '" + file + "' (FORMAT parquet)");
          s.execute("CREATE VIEW " + name + " AS SELECT * FROM read_parquet('" + file + "')");
        }
      }
      double ps = (System.nanoTime() - t) / 1e9;
      parquetSeconds += ps;

      long tarnRows = count(tarnAnswer(tarn, "SELECT count(*) FROM " + name), name);
      long parquetRows = count(duckDbAnswer(duckdb, allocator, "SELECT count(*) FROM " + name, batchRows), name);
      if (tarnRows != parquetRows || (ingested >= 0 && ingested != tarnRows)) {
        throw new WrongAnswerException(name + ": Tarn has " + tarnRows + " rows (ingest reported " + ingested
            + "), the Parquet file " + parquetRows);
      }
      rowCounts.put(name, tarnRows);
      log.printf(Locale.ROOT, "  %-9s %,11d rows: Tarn ingest %6.2f s, Parquet %6.2f s%n", name, tarnRows, ts, ps);
    }
    load.put("rows", rowCounts);
    load.put("tarn_ingest_seconds", tarnSeconds);
    load.put("parquet_write_seconds", parquetSeconds);
    return load;
  }

  private static long count(Answer a, String table) {
    if (a.rows().size() != 1 || !(a.rows().get(0).get(0) instanceof Number n)) {
      throw new WrongAnswerException("count(*) of " + table + " returned " + a.rows());
    }
    return n.longValue();
  }

  private List<Result> results(double sf, int runs, List<TpchQuery> queries, Map<String, Answer> answers,
      Map<String, List<Double>> baselineTimes, Map<String, List<Double>> tarnTimes, Map<String, List<Double>> bareTimes,
      Map<String, Object> load, int referenceChecked, EngineConfig engine, PrintStream log) {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("scale_factor", sf);
    common.put("warm_runs", runs);
    common.put("duckdb_threads", engine.threads());
    common.put("baseline_side", "embedded DuckDB over Parquet (views over read_parquet), Arrow export in-process");
    common.put("tarn_side", "a Tarn server in its own process, native Flight SQL client in this JVM (execute +"
        + " getStream), every row read");

    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"query", "rows", "cold base", "cold tarn", "cold ratio", "warm base", "warm tarn",
        "warm ratio"});
    double coldBase = 0;
    double coldTarn = 0;
    double warmBase = 0;
    double warmTarn = 0;
    double coldFloor = 0;
    double warmFloor = 0;
    Map<String, Object> perQuery = new LinkedHashMap<>();
    List<Result> results = new ArrayList<>();
    List<Result> queryResults = new ArrayList<>();
    for (TpchQuery q : queries) {
      List<Double> b = baselineTimes.get(q.key());
      List<Double> t = tarnTimes.get(q.key());
      double cb = b.get(0);
      double ct = t.get(0);
      double wb = Stats.median(b.subList(1, b.size()));
      double wt = Stats.median(t.subList(1, t.size()));
      List<Double> floor = plus(b, bareTimes.get(q.key()));
      coldFloor += floor.get(0);
      warmFloor += Stats.median(floor.subList(1, floor.size()));
      coldBase += cb;
      coldTarn += ct;
      warmBase += wb;
      warmTarn += wt;
      int rows = answers.get(q.key()).rows().size();
      table.add(new String[] {q.key(), Integer.toString(rows), secs(cb), secs(ct), ratio(ct / cb), secs(wb),
          secs(wt), ratio(wt / wb)});
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rows", rows);
      m.put("ordered", q.ordered());
      m.put("baseline_seconds", b);
      m.put("tarn_seconds", t);
      m.put("bare_flight_after_baseline_seconds", bareTimes.get(q.key()));
      perQuery.put(q.key(), m);
      Map<String, Object> qp = new LinkedHashMap<>(common);
      qp.putAll(m);
      qp.put("note", "seconds: the cold run first, then the warm runs; baseline and tarn are warm medians");
      queryResults.add(Result.time("tpch." + q.key() + ".warm", wb, wt, "s", Goal.none(), qp));
    }
    table.add(new String[] {"total", "", secs(coldBase), secs(coldTarn), ratio(coldTarn / coldBase), secs(warmBase),
        secs(warmTarn), ratio(warmTarn / warmBase)});
    log.println();
    Report.printColumns(table, log);
    log.printf(Locale.ROOT, "%nthe floor: each embedded query plus a SELECT 1 on a Flight SQL server that does no work,"
        + " sent right after it by a client like Tarn's: %s cold (%s), %s warm (%s)%n", secs(coldFloor),
        ratio(coldFloor / coldBase), secs(warmFloor), ratio(warmFloor / warmBase));

    Map<String, Object> totals = new LinkedHashMap<>(common);
    totals.put("answers_checked", "every Tarn answer equals embedded DuckDB's in every pass");
    totals.put("reference_answers_checked", referenceChecked);
    totals.put("load", load);
    totals.put("queries", perQuery);
    results.add(Result.time("tpch.total.warm", warmBase, warmTarn, "s", Goal.atMost(WARM_GOAL), totals));
    Map<String, Object> coldParams = new LinkedHashMap<>(common);
    coldParams.put("note", "each query's first run on each side after loading; per-query times in tpch.total.warm");
    results.add(Result.time("tpch.total.cold", coldBase, coldTarn, "s", Goal.atMost(COLD_GOAL), coldParams));
    Map<String, Object> floorParams = new LinkedHashMap<>(common);
    floorParams.put("tarn_side", "the baseline's query, then SELECT 1 through a native Flight SQL client of its own (the"
        + " same kind as Tarn's side) on a Flight SQL server in this JVM that does no work (GetFlightInfo and DoGet of"
        + " one constant row), sent as soon as the query's last row was read");
    floorParams.put("note", "what any server behind Flight SQL's two round trips would add after a query's run on"
        + " this machine: the client's and the server's threads sat idle while DuckDB ran; per-query times in"
        + " tpch.total.warm");
    results.add(Result.time("tpch.floor.warm", warmBase, warmFloor, "s", Goal.none(), floorParams));
    results.add(Result.time("tpch.floor.cold", coldBase, coldFloor, "s", Goal.none(), floorParams));
    results.addAll(queryResults);
    Map<String, Object> loadParams = new LinkedHashMap<>(common);
    loadParams.putAll(load);
    loadParams.put("note", "baseline: embedded DuckDB writing the generated rows as Parquet; tarn: Flight SQL bulk"
        + " ingest into Iceberg tables on main; both include generating the data");
    results.add(Result.time("tpch.load", (Double) load.get("parquet_write_seconds"),
        (Double) load.get("tarn_ingest_seconds"), "s", Goal.none(), loadParams));
    return results;
  }

  /** Element-wise sums of two lists of the same length. */
  private static List<Double> plus(List<Double> a, List<Double> b) {
    List<Double> sums = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      sums.add(a.get(i) + b.get(i));
    }
    return sums;
  }

  /** Seconds for {@code SELECT 1} on the bare server, GetFlightInfo to the last row, its answer checked. */
  private static double bareRoundTrip(FlightSqlClient bare) throws Exception {
    Timed trip = timed(() -> tarnAnswer(bare, "SELECT 1"));
    if (trip.answer().rows().size() != 1 || !(trip.answer().rows().get(0).get(0) instanceof Number n)
        || n.intValue() != 1) {
      throw new WrongAnswerException("the bare Flight SQL server answered SELECT 1 with " + trip.answer().rows());
    }
    return trip.seconds();
  }

  record Timed(Answer answer, double seconds) {}

  interface Query {
    Answer run() throws Exception;
  }

  private static Timed timed(Query query) throws Exception {
    long t = System.nanoTime();
    Answer a = query.run();
    return new Timed(a, (System.nanoTime() - t) / 1e9);
  }

  /** Tarn: the native Flight SQL client, every endpoint's stream read to the end. */
  @SuppressWarnings("try")
  static Answer tarnAnswer(FlightSqlClient client, String sql) throws Exception {
    Answer answer = new Answer();
    FlightInfo info = client.execute(sql);
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = client.getStream(endpoint.getTicket())) {
        while (stream.next()) {
          answer.add(stream.getRoot());
        }
      }
    }
    return answer;
  }

  /** The baseline: embedded DuckDB exporting its result as Arrow in-process. */
  static Answer duckDbAnswer(Connection duckdb, BufferAllocator allocator, String sql, int batchRows)
      throws Exception {
    Answer answer = new Answer();
    try (Statement statement = duckdb.createStatement();
        DuckDBResultSet rs = (DuckDBResultSet) statement.executeQuery(sql);
        ArrowReader reader = (ArrowReader) rs.arrowExportStream(allocator, batchRows)) {
      while (reader.loadNextBatch()) {
        answer.add(reader.getVectorSchemaRoot());
      }
    }
    return answer;
  }

  /** The baseline's own in-memory DuckDB with the server engine's threads and memory limit. */
  private static Connection openEmbeddedDuckDb(EngineConfig engine) throws SQLException {
    Properties props = new Properties();
    props.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
    Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
    try (Statement s = c.createStatement()) {
      s.execute("SET threads = " + engine.threads());
      if (engine.memoryLimit() != null && !engine.memoryLimit().isBlank()) {
        s.execute("SET memory_limit = '" + engine.memoryLimit() + "'");
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static String secs(double s) {
    return String.format(Locale.ROOT, "%.3f s", s);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2fx", r);
  }

  static String fmt(double sf) {
    return sf == Math.rint(sf) ? Long.toString((long) sf) : Double.toString(sf);
  }
}
