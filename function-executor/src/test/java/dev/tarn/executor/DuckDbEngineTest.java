package dev.tarn.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.EngineException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbEngineTest {
  @TempDir Path warehouse;
  private DuckDbEngine engine;
  private EngineSession session;
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    engine = DuckDbEngine.open(EngineConfig.defaults(warehouse).withQueryTimeout(Duration.ofSeconds(3)));
    session = engine.openSession();
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    session.close();
    engine.close();
    allocator.close();
  }

  private ExecutionResult run(String sql, Object... params) {
    return session.newExecution(sql, List.of(params), allocator).run();
  }

  private long countRows(String sql) {
    try (RowStream rows = (RowStream) run(sql)) {
      while (rows.next()) {
        // counting
      }
      return rows.rowsProduced();
    }
  }

  @Test
  void createsTablesInThePublicSchemaAndStreamsThemInBatches() {
    assertEquals(new UpdateCount(0), run("CREATE TABLE t (id BIGINT, name VARCHAR)"));
    assertEquals(new UpdateCount(300_000), run("INSERT INTO t SELECT range, range::VARCHAR FROM range(300000)"));
    try (RowStream rows = (RowStream) run("SELECT * FROM memory.public.t WHERE id >= ?", 100_000L)) {
      int batches = 0;
      while (rows.next()) {
        batches++;
      }
      assertEquals(200_000, rows.rowsProduced());
      assertTrue(batches >= 2, "a large result arrives in several batches");
    }
  }

  @Test
  void describesResultAndParameterSchemasWithoutRunning() {
    run("CREATE TABLE t (id BIGINT, price DECIMAL(10,2))");
    StatementDescription query = session.describe("SELECT id, price FROM t WHERE id > ?");
    assertTrue(query.returnsRows());
    assertEquals(List.of("id", "price"), query.resultSchema().getFields().stream().map(f -> f.getName()).toList());
    assertEquals(new ArrowType.Int(64, true), query.parameterSchema().getFields().get(0).getType());
    StatementDescription insert = session.describe("INSERT INTO t VALUES (1, 2.5)");
    assertFalse(insert.returnsRows());
    StatementDescription pragma = session.describe("PRAGMA table_info('t')");
    assertTrue(pragma.returnsRows());
    assertFalse(pragma.resultSchema().getFields().isEmpty());
  }

  @Test
  void clientSqlCannotReachFilesOutsideTheWarehouseOrChangeSettings() {
    EngineException read = assertThrows(EngineException.class, () -> run("SELECT * FROM read_csv('/etc/passwd')"));
    assertEquals(Reason.PERMISSION, read.reason());
    assertTrue(read.getMessage().contains("/etc/passwd"), read.getMessage());
    EngineException set = assertThrows(EngineException.class, () -> run("SET threads = 1"));
    assertEquals(Reason.PERMISSION, set.reason());
    assertEquals(Reason.PERMISSION, assertThrows(EngineException.class, () -> run("SET enable_external_access = true")).reason());
    assertEquals(Reason.PERMISSION, assertThrows(EngineException.class, () -> run("ATTACH '/tmp/other.duckdb'")).reason());
    assertEquals(1, countRows("SELECT 1"), "the session keeps serving after refusals");
  }

  @Test
  void syntaxErrorsNameLineAndColumn() {
    EngineException e = assertThrows(EngineException.class, () -> run("SELECT *\nFROM t WHERE id = = 3"));
    assertEquals(Reason.SYNTAX, e.reason());
    assertTrue(e.getMessage().startsWith("Syntax error at line 2, column 19"), e.getMessage());
  }

  @Test
  void missingTablesAreNamedWithoutSuggestingSystemTables() {
    EngineException e = assertThrows(EngineException.class, () -> run("SELECT * FROM nope"));
    assertEquals(Reason.NOT_FOUND, e.reason());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertFalse(e.getMessage().contains("pg_"), e.getMessage());
  }

  @Test
  void cancelInterruptsARunningQueryAndTheSessionGoesOn() throws Exception {
    Execution slow = session.newExecution("SELECT count(*) FROM range(1000000000000)", List.of(), allocator);
    CompletableFuture<ExecutionResult> result = CompletableFuture.supplyAsync(slow::run);
    Thread.sleep(300);
    long start = System.nanoTime();
    slow.cancel();
    Exception e = assertThrows(Exception.class, () -> result.get(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
    EngineException cause = assertInstanceOf(EngineException.class, e.getCause());
    assertEquals(Reason.CANCELLED, cause.reason());
    assertEquals(1, countRows("SELECT 1"));
  }

  @Test
  void queriesLongerThanTheTimeoutAreStopped() {
    EngineException e = assertThrows(EngineException.class, () -> countRows("SELECT count(*) FROM range(1000000000000)"));
    assertEquals(Reason.CANCELLED, e.reason());
    assertTrue(e.getMessage().contains("query timeout"), e.getMessage());
  }

  @Test
  void aSecondStatementRunsWhileAResultIsStillStreaming() {
    try (RowStream first = (RowStream) run("SELECT * FROM range(1000000)")) {
      assertTrue(first.next());
      assertEquals(1, countRows("SELECT 42"));
      while (first.next()) {
        // drain
      }
      assertEquals(1_000_000, first.rowsProduced());
    }
  }

  @Test
  void useSchemaIsKeptForEveryConnectionOfTheSession() {
    run("CREATE SCHEMA sales");
    run("CREATE TABLE sales.t AS SELECT 1 AS x");
    session.useSchema("sales");
    assertEquals("sales", session.currentSchema());
    try (RowStream open = (RowStream) run("SELECT * FROM range(10)")) {
      assertEquals(1, countRows("SELECT * FROM t"), "a second connection sees the session's schema");
    }
  }

  @Test
  void aSessionMovedToASchemaReadsItFromItsNextStatement() {
    run("CREATE SCHEMA sales");
    run("CREATE TABLE sales.t AS SELECT 'in sales' AS v");
    run("CREATE TABLE t AS SELECT 'in public' AS v");
    session.moveTo(session.currentCatalog(), "sales");
    assertEquals("sales", session.currentSchema());
    try (RowStream rows = (RowStream) run("SELECT v FROM t")) {
      assertTrue(rows.next());
      assertEquals("in sales", rows.root().getVector(0).getObject(0).toString());
    }
    session.use(session.currentCatalog(), "sales"); // where it already is: nothing to check
    session.use(session.currentCatalog(), "public");
    try (RowStream rows = (RowStream) run("SELECT v FROM t")) {
      assertTrue(rows.next());
      assertEquals("in public", rows.root().getVector(0).getObject(0).toString());
    }
    assertThrows(EngineException.class, () -> session.use(session.currentCatalog(), "nowhere"));
    assertEquals("public", session.currentSchema(), "a failed move changes nothing");
  }

  @Test
  void aWarehouseFolderTheEngineWouldReadAsAPatternIsRefused() {
    for (String name : new String[] {"lake*", "lake?", "lake[1]"}) {
      EngineException e = assertThrows(EngineException.class,
          () -> DuckDbEngine.open(EngineConfig.defaults(warehouse.resolve(name))).close());
      assertTrue(e.getMessage().contains("pattern") && e.getMessage().contains(name), e.getMessage());
    }
  }
}
