package dev.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.metrics.TarnMetrics;
import dev.tarn.core.pipeline.PipelineSql;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionLimits;
import dev.tarn.core.session.SessionStore;
import dev.tarn.core.statement.CancellationScope;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.core.statement.StatementService;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineConfig;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.UpdateCount;
import dev.tarn.executor.lakehouse.DataFileStore;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunRecords;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonModelRunner;
import dev.tarn.sql.TarnSqlFrontend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core without any transport: real Iceberg tables on an embedded Nessie catalog, real DuckDB,
 * statements through the same path every front door uses.
 */
class CoreStatementsTest {
  @TempDir
  Path warehouse;

  private BufferAllocator allocator;
  private DuckDbEngine engine;
  private BranchCatalog catalog;
  private Lakehouse lakehouse;
  private SessionStore sessions;
  private Pipelines pipelines;
  private StatementService statements;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    engine = DuckDbEngine.open(EngineConfig.defaults(warehouse));
    catalog = EmbeddedBranchCatalog.open(warehouse);
    TarnSqlFrontend frontend = new TarnSqlFrontend();
    TarnMetrics metrics = new TarnMetrics();
    lakehouse = new Lakehouse(catalog, engine, frontend, metrics::scanned, DataFileStore.local());
    sessions = new SessionStore(engine, SessionLimits.defaults(), lakehouse.transactions()::abandon);
    pipelines = new Pipelines(() -> new PipelineRunner(catalog, engine, lakehouse.views(),
            Environments.locate(Environments.defaultCacheDir()), new PythonModelRunner(allocator), null,
            new PipelineSql(frontend), 1, ScanCache.off()),
        new RunRecords(warehouse.resolve("runs")), warehouse.resolve("projects"), warehouse.resolve("uploads"),
        ScanCache.off());
    statements = new StatementService(frontend, lakehouse, pipelines, metrics, CancellationScope.NONE);
  }

  @AfterEach
  void close() {
    sessions.close();
    pipelines.close();
    lakehouse.close();
    engine.close();
    allocator.close();
  }

  private List<List<Object>> rows(Session session, String sql) {
    PreparedQuery query = statements.prepare(session, sql);
    ExecutionResult result = statements.run(session, query, List.of(), allocator, execution -> { });
    List<List<Object>> rows = new ArrayList<>();
    if (result instanceof RowStream stream) {
      try (stream) {
        while (stream.next()) {
          for (int r = 0; r < stream.root().getRowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (var vector : stream.root().getFieldVectors()) {
              Object value = vector.getObject(r);
              row.add(value == null ? null : value.toString());
            }
            rows.add(row);
          }
        }
      }
    } else {
      rows.add(List.of(((UpdateCount) result).rows()));
    }
    return rows;
  }

  private Session kept(String user) {
    return sessions.keep(sessions.oneShot(user, null));
  }

  @Test
  void writesCommitToTheBranchAndReadBack() {
    Session session = kept("ana");
    rows(session, "CREATE TABLE t (id INT, name VARCHAR)");
    rows(session, "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    assertEquals(List.of(List.of("1", "a"), List.of("2", "b")), rows(session, "SELECT * FROM t ORDER BY id"));
    assertTrue(catalog.log(dev.tarn.catalog.At.branch("main"), 10).size() >= 2, "each write is a commit on main");
  }

  @Test
  void aTransactionIsInvisibleToOtherSessionsUntilCommit() {
    Session owner = kept("ana");
    Session other = kept("bob");
    rows(owner, "CREATE TABLE t (id INT)");
    rows(owner, "BEGIN");
    rows(owner, "INSERT INTO t VALUES (1)");
    assertEquals(List.of(List.of("1")), rows(owner, "SELECT * FROM t"));
    assertEquals(List.of(), rows(other, "SELECT * FROM t"));
    rows(owner, "COMMIT");
    assertEquals(List.of(List.of("1")), rows(other, "SELECT * FROM t"));
  }

  @Test
  void useNamesASchemaAndRefusesBranchDotSchema() {
    Session session = kept("ana");
    rows(session, "CREATE SCHEMA sales");
    rows(session, "CREATE TABLE sales.t (id INT)");
    rows(session, "USE sales");
    rows(session, "INSERT INTO t VALUES (7)");
    assertEquals(List.of(List.of("7")), rows(session, "SELECT * FROM sales.t"));
    TarnException e = assertThrows(TarnException.class, () -> rows(session, "USE main.sales"));
    assertEquals(Kind.INVALID_ARGUMENT, e.kind());
    assertTrue(e.getMessage().contains("USE BRANCH main"), e.getMessage());
  }

  @Test
  void statementsTheCoreRefusesSayWhy() {
    Session session = kept("ana");
    TarnException e = assertThrows(TarnException.class, () -> rows(session, "COPY (SELECT 1) TO 'x.csv'"));
    assertTrue(e.getMessage().contains("COPY"), e.getMessage());
    assertEquals(List.of(List.of("1")), rows(session, "SELECT 1"), "the session keeps serving");
  }

  @Test
  void sessionLimitsAreRefusalsNamingTheFlag() {
    // past the limit a session holding nothing makes room; one holding state is refused, naming the flag
    SessionStore small = new SessionStore(engine, new SessionLimits(1, 1, SessionLimits.defaults().idleTimeout()),
        s -> { });
    try {
      Session holding = small.keep(small.oneShot("ana", null));
      holding.markHoldsState(); // a session holding state is never recycled to make room
      TarnException e = assertThrows(TarnException.class, () -> small.keep(small.oneShot("ana", null)));
      assertEquals(Kind.RESOURCE_EXHAUSTED, e.kind());
      assertTrue(e.getMessage().contains("--max-sessions"), e.getMessage());
    } finally {
      small.close();
    }
  }
}
