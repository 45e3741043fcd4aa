package dev.tarn.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.EngineReading.TableFunctionCall;
import dev.tarn.executor.EngineReading.TableName;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's own reading of texts, through the locked-down engine, and the verdict on every table function. */
class EngineReadingTest {
  @TempDir Path warehouse;
  private DuckDbEngine engine;
  private EngineSession session;

  @BeforeEach
  void open() {
    engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
    session = engine.openSession();
  }

  @AfterEach
  void close() {
    session.close();
    engine.close();
  }

  @Test
  void countsStatementsAsDuckDbSplitsThem() {
    assertTrue(session.read("SELECT 1").isOneQuery());
    assertTrue(session.read(";;SELECT 1;;").isOneQuery());
    assertEquals(2, session.read("SELECT 1; SELECT 2").statements());
    // DuckDB ends a -- comment at a carriage return: the second statement is real
    assertEquals(2, session.read("SELECT 1 -- c\r; SELECT 2").statements());
    assertTrue(session.read("\uFEFFSELECT 1").isOneQuery());
  }

  @Test
  void aWholeTableCountIsReadAsOneAndNothingMoreIs() {
    assertEquals(Optional.of("count_star()"), session.read("SELECT count(*) FROM t").rowCountColumn());
    assertEquals(Optional.of("count_star()"), session.read("select COUNT() from b.s.t AS x").rowCountColumn());
    assertEquals(Optional.of("count_star()"), session.read("FROM t SELECT count(*)").rowCountColumn());
    // a named window nothing uses leaves no trace in DuckDB's reading, nor in the answer
    assertEquals(Optional.of("count_star()"), session.read("SELECT count_star() FROM t WINDOW w AS ()").rowCountColumn());
    assertEquals(Optional.of("How Many"), session.read("/* c */ SELECT count(*) \"How Many\" FROM t -- c").rowCountColumn());
    for (String sql : List.of("SELECT count(*) FROM t WHERE a", "SELECT count(*) FROM t LIMIT 1",
        "SELECT count(*) FROM t OFFSET 1", "SELECT count(*) FROM t ORDER BY 1", "SELECT DISTINCT count(*) FROM t",
        "SELECT count(*) FROM t GROUP BY a", "SELECT count(*) FROM t GROUP BY ALL", "SELECT count(*) FROM t HAVING true",
        "SELECT count(*) FROM t QUALIFY true", "SELECT count(*) FROM t USING SAMPLE 1", "SELECT count(*) FROM t TABLESAMPLE 1",
        "SELECT count(*) FILTER (WHERE a) FROM t", "SELECT count(a) FROM t", "SELECT count(*) + 0 FROM t",
        "SELECT count(*), 1 FROM t", "SELECT count(*) FROM t, u", "SELECT count(*) FROM t JOIN u ON true",
        "SELECT count(*) FROM (SELECT 1)", "SELECT count(*) FROM range(3)", "SELECT count(*) FROM t AT (VERSION => 1)",
        "SELECT count(*) FROM t AS x(a)", "WITH t AS (SELECT 1) SELECT count(*) FROM t", "SELECT main.count_star() FROM t",
        "SELECT count(*) FROM t UNION ALL SELECT 1", "SELECT count(*) FROM t; SELECT count(*) FROM t",
        "SELECT count(*) OVER () FROM t", "SELECT 1")) {
      assertEquals(Optional.empty(), session.read(sql).rowCountColumn(), sql);
    }
  }

  @Test
  void anythingButQueriesIsRefusedWithoutRunning() {
    for (String sql : List.of("CREATE TABLE x (a INT)", "SELECT 1; CREATE TABLE x (a INT)", "PREPARE q AS SELECT 1",
        "EXPLAIN SELECT 1", "PRAGMA version", "COPY (SELECT 1) TO 'x.csv'")) {
      EngineReading reading = session.read(sql);
      assertFalse(reading.isOneQuery(), sql);
      assertEquals(Optional.of(EngineReading.NOT_ONLY_QUERIES), reading.refusal(), sql);
    }
    assertEquals(0, countTables(), "reading runs nothing");
    String error = session.read("SELECT *\nFROM t WHERE a = = 1").refusal().orElseThrow();
    assertTrue(error.startsWith("Syntax error at line 2, column 18"), error);
  }

  @Test
  void findsEveryTableAndTableFunctionOfTheParseTree() {
    EngineReading reading = session.read("WITH c AS (SELECT * FROM a.b.c) SELECT * FROM c, range(3) r,"
        + " (SELECT 1 FROM read_parquet(['x', 'y'], hive_partitioning = false)) WHERE 1 IN (SELECT 1 FROM 'f.csv')"
        + " AND 2 IN (FROM s.t AT (VERSION => 1))");
    assertTrue(reading.tables().contains(new TableName("a", "b", "c", false)), reading.tables().toString());
    assertTrue(reading.tables().contains(new TableName("", "", "f.csv", false)));
    assertTrue(reading.tables().contains(new TableName("", "s", "t", true)));
    assertTrue(reading.tableFunctions().contains(new TableFunctionCall("range", List.of())));
    assertTrue(reading.tableFunctions().contains(new TableFunctionCall("read_parquet", List.of("x", "y"))));
  }

  /** Every table function this DuckDB has carries a verdict; one a DuckDB upgrade adds fails here until decided. */
  @Test
  void everyTableFunctionHasAVerdict() throws SQLException {
    List<String> functions = new ArrayList<>();
    try (Connection c = engine.openInternalConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT DISTINCT function_name FROM duckdb_functions()"
            + " WHERE function_type IN ('table', 'table_macro') ORDER BY 1")) {
      while (rs.next()) {
        functions.add(rs.getString(1));
      }
    }
    Map<String, Boolean> verdicts = TableFunctionVerdicts.all();
    TreeSet<String> undecided = new TreeSet<>(functions);
    undecided.removeAll(verdicts.keySet());
    assertEquals(new TreeSet<String>(), undecided, "table functions without a verdict in TableFunctionVerdicts");
    for (String function : functions) {
      assertEquals(verdicts.get(function), TableFunctionVerdicts.refusal(function).isEmpty(), function);
    }
    assertTrue(TableFunctionVerdicts.refusal("query").orElseThrow().contains("SQL text"));
    assertTrue(TableFunctionVerdicts.refusal("read_csv").orElseThrow().contains("files"));
    assertTrue(TableFunctionVerdicts.refusal("no_such_function_yet").isPresent(), "unknown functions are refused");
  }

  /** Every built-in view of this DuckDB carries a verdict; one a DuckDB upgrade adds fails here until decided. */
  @Test
  void everyBuiltInViewHasAVerdict() throws SQLException {
    List<String> views = new ArrayList<>();
    try (Connection c = engine.openInternalConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT schema_name || '.' || view_name FROM duckdb_views()"
            + " WHERE internal ORDER BY 1")) {
      while (rs.next()) {
        views.add(rs.getString(1));
      }
    }
    Map<String, Boolean> verdicts = SystemViewVerdicts.all();
    TreeSet<String> undecided = new TreeSet<>(views);
    undecided.removeAll(verdicts.keySet());
    assertEquals(new TreeSet<String>(), undecided, "built-in views without a verdict in SystemViewVerdicts");
    for (String view : views) {
      String[] parts = view.split("\\.");
      for (TableName written : List.of(new TableName("", parts[0], parts[1], false),
          new TableName("system", parts[0], parts[1], false))) {
        assertEquals(verdicts.get(view), SystemViewVerdicts.refusal(written).isEmpty(), written.qualifiedName());
      }
    }
    assertTrue(SystemViewVerdicts.refusal(new TableName("", "", "duckdb_tables", false)).isPresent(),
        "a bare name finds DuckDB's view");
    assertTrue(SystemViewVerdicts.refusal(new TableName("", "pg_catalog", "pg_new_view", false)).isPresent(),
        "an unknown view of DuckDB's is refused");
    assertTrue(SystemViewVerdicts.refusal(new TableName("", "", "orders", false)).isEmpty());
    assertTrue(SystemViewVerdicts.refusal(new TableName("lake_0123", "public", "tables", false)).isEmpty(),
        "a lakehouse table called tables is no built-in view");
  }

  /**
   * Listings of the engine's catalogs are refused in every form DuckDB offers; SHOW TABLES, which
   * lists only the statement's own catalog, and DESCRIBE of what the statement may name, run.
   */
  @Test
  void listingsOfTheEnginesCatalogsAreRefused() {
    for (String sql : List.of("SELECT * FROM duckdb_databases()", "SELECT * FROM duckdb_tables()",
        "SELECT * FROM duckdb_columns()", "SELECT * FROM duckdb_schemas()", "SELECT * FROM duckdb_types()",
        "SELECT * FROM duckdb_approx_database_count()", "SELECT * FROM duckdb_databases",
        "SELECT * FROM main.duckdb_tables", "SELECT * FROM system.main.duckdb_columns",
        "SELECT * FROM information_schema.tables", "SELECT * FROM system.information_schema.schemata",
        "SELECT * FROM information_schema.columns", "SELECT * FROM pg_class", "SELECT * FROM pg_catalog.pg_namespace",
        "SELECT * FROM pragma_database_list", "SHOW DATABASES", "SHOW ALL TABLES", "SHOW SCHEMAS", "DESCRIBE",
        "SHOW TABLES FROM lake_0123456789abcdef", "SHOW TABLES FROM lake_0123456789abcdef.public",
        "SHOW lake_0123456789abcdef.public.t", "DESCRIBE lake_0123456789abcdef.public.t",
        "SUMMARIZE lake_0123456789abcdef.public.t", "SELECT 1 WHERE 0 < (SELECT count(*) FROM (SHOW DATABASES))")) {
      EngineException refused = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
          () -> QueryRules.check(session.read(sql), java.util.Set.of(), java.util.Set.of()), sql);
      assertEquals(EngineException.Reason.PERMISSION, refused.reason(), sql + ": " + refused.getMessage());
      assertTrue(refused.getMessage().contains("not allowed") || refused.getMessage().contains("internal"),
          refused.getMessage());
    }
    for (String sql : List.of("SHOW TABLES", "SHOW TABLES FROM memory", "DESCRIBE SELECT 1",
        "SELECT * FROM duckdb_functions() LIMIT 1", "SELECT * FROM information_schema.character_sets",
        "DESCRIBE lake_0123456789abcdef.public.t")) {
      QueryRules.check(session.read(sql), java.util.Set.of("lake_0123456789abcdef"), java.util.Set.of());
    }
  }

  private long countTables() {
    try (Connection c = engine.openInternalConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readersKeptForEverySessionReadManyTextsAtOnceEachItsOwn() throws Exception {
    int threads = 8; // more than the readers kept, so some are opened for the moment and closed after
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          try (EngineSession own = engine.openSession()) {
            for (int i = 0; i < 100; i++) {
              String table = "t_" + thread + "_" + i;
              EngineReading reading = own.read("SELECT * FROM s." + table + " /* \u00fc ) */");
              assertEquals(List.of(table), reading.tables().stream().map(TableName::table).toList());
              String refusal = own.read("SELECT FROM FROM " + table).refusal().orElseThrow();
              assertTrue(refusal.startsWith("Syntax error at line 1, column "), refusal);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(0, countTables(), "reading runs nothing");
  }
}
