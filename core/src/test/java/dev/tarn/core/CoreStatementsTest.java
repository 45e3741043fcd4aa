package dev.tarn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionLimits;
import dev.tarn.core.session.SessionStore;
import dev.tarn.core.statement.CancellationScope;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.core.statement.StatementService;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.UpdateCount;
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
 * The core without any transport, opened as a front door opens it ({@link Tarn#open}): real Iceberg
 * tables on an embedded Nessie catalog, real DuckDB, statements through the path every front door uses.
 */
class CoreStatementsTest {
  @TempDir
  Path warehouse;

  private BufferAllocator allocator;
  private Tarn tarn;
  private SessionStore sessions;
  private StatementService statements;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    tarn = Tarn.open(TarnConfig.local(warehouse), allocator);
    sessions = tarn.sessions();
    statements = tarn.statements(CancellationScope.NONE);
  }

  @AfterEach
  void close() {
    tarn.close();
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
    assertTrue(tarn.lakehouse().catalog().log(dev.tarn.catalog.At.branch("main"), 10).size() >= 2, "each write is a commit on main");
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
    SessionStore small = new SessionStore(tarn.engine(), new SessionLimits(1, 1, SessionLimits.defaults().idleTimeout()),
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
