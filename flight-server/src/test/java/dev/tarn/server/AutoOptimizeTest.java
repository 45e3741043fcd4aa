package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.core.Tarn;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.maintenance.AutoOptimizePolicy;
import dev.tarn.core.maintenance.AutoOptimizer;
import dev.tarn.core.statement.CancellationScope;
import dev.tarn.server.ServerConfig.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * {@code --auto-optimize}: a server that compacts tables by itself, through the stock Flight SQL JDBC
 * driver on a server with users. It compacts quiet unprotected branches as its own author, leaves
 * protected branches and tags alone, keeps every row, and waits while users write.
 */
class AutoOptimizeTest {
  private static final TableId T = TableId.of("public", "t");

  private static Properties admin() {
    Properties p = new Properties();
    p.setProperty("user", "admin");
    p.setProperty("password", "s3cret");
    return p;
  }

  @Test
  void quietBranchesAreCompactedAsTheServersOwnUserAndProtectedOnesAreLeftAlone() throws Exception {
    AutoOptimizePolicy policy = new AutoOptimizePolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret"))
            .withAutoOptimize(Optional.of(policy)));
        Connection c = server.connect(admin())) {
      run(c, "CREATE TABLE t (id BIGINT, name VARCHAR)");
      run(c, "CREATE BRANCH dev");
      run(c, "CREATE BRANCH locked");
      for (int id = 0; id < 6; id++) {
        for (String branch : List.of("main", "dev", "locked")) {
          run(c, "INSERT INTO " + branch + ".public.t VALUES (" + id + ", 'row ' || " + id + ")");
        }
      }
      run(c, "PROTECT BRANCH locked");
      int lockedFiles = dataFiles(server, "locked");
      run(c, "CREATE TAG v1");
      List<String> before = column(query(c, "SELECT id FROM t ORDER BY id"), 1);

      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((dataFiles(server, "main") > 1 || dataFiles(server, "dev") > 1) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertEquals(1, dataFiles(server, "main"));
      assertEquals(1, dataFiles(server, "dev"));
      assertEquals(lockedFiles, dataFiles(server, "locked"), "a protected branch changes only by merges");
      assertEquals(before, column(query(c, "SELECT id FROM locked.public.t ORDER BY id"), 1));
      assertEquals(before, column(query(c, "SELECT id FROM t ORDER BY id"), 1));
      assertEquals(before, column(query(c, "SELECT id FROM dev.public.t ORDER BY id"), 1));
      assertEquals(before, column(query(c, "SELECT id FROM t AT TAG v1 ORDER BY id"), 1));
      try (ResultSet rs = query(c, "SHOW LOG main LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals(AccessControl.SYSTEM_USER, rs.getString("author"));
        assertEquals("OPTIMIZE TABLE \"main\".\"public\".\"t\"", rs.getString("message"));
      }
      List<String> auditedUsers = column(query(c, "SHOW AUDIT"), "user");
      assertTrue(auditedUsers.contains(AccessControl.SYSTEM_USER), auditedUsers.toString());

      SQLException reserved = assertThrows(SQLException.class,
          () -> run(c, "CREATE USER \"tarn-auto-optimize\" PASSWORD 'long-enough-secret'"));
      assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
    }
  }

  @Test
  void aBranchWithARecentCommitWaitsForAQuietMoment() throws Exception {
    try (RunningServer server = RunningServer.start();
        Connection c = server.connect();
        BufferAllocator allocator = new RootAllocator()) {
      run(c, "CREATE TABLE t (id BIGINT, name VARCHAR)");
      for (int id = 0; id < 6; id++) {
        run(c, "INSERT INTO t VALUES (" + id + ", 'x')");
      }
      Tarn tarn = server.server().tarn();
      AutoOptimizePolicy policy = new AutoOptimizePolicy(5, Duration.ofHours(1), Duration.ofHours(1));
      AutoOptimizer now = new AutoOptimizer(policy, tarn.lakehouse(), tarn.sessions(),
          tarn.statements(CancellationScope.NONE), allocator, Clock.systemUTC());
      AutoOptimizer.Pass busy = now.pass();
      assertEquals(List.of("main"), busy.skippedBranches(), busy.toString());
      assertEquals(List.of(), busy.optimized());
      assertEquals(6, dataFiles(server, "main"));

      AutoOptimizer later = new AutoOptimizer(policy, tarn.lakehouse(), tarn.sessions(),
          tarn.statements(CancellationScope.NONE), allocator,
          Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
      AutoOptimizer.Pass quiet = later.pass();
      assertEquals(List.of("main.public.t"), quiet.optimized(), quiet.toString());
      assertEquals(1, dataFiles(server, "main"));
      AutoOptimizer.Pass again = later.pass();
      assertEquals(List.of(), again.optimized(), "one file left: nothing to do");
      now.close();
      later.close();
    }
  }

  private static void run(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static ResultSet query(Connection c, String sql) throws SQLException {
    return c.createStatement().executeQuery(sql);
  }

  private static int dataFiles(RunningServer server, String branch) {
    int files = 0;
    try (CloseableIterable<FileScanTask> tasks = server.server().tarn().lakehouse().catalog()
        .loadTable(At.branch(branch), T).newScan().planWith(CallingThreadExecutor.INSTANCE).planFiles()) {
      for (FileScanTask ignored : tasks) {
        files++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
