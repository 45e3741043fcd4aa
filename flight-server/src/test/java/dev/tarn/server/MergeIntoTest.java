package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code MERGE INTO} on lakehouse tables through the stock Flight SQL JDBC driver: an incremental
 * load (changed rows updated, new rows inserted, gone rows deleted) as one commit that rewrites only
 * the files it touched, with the same privileges, refusals and checks as any write.
 */
class MergeIntoTest {
  private static final TableId T = TableId.of("public", "customers");
  private RunningServer server;
  private Connection c;

  @BeforeEach
  void start() throws SQLException {
    server = RunningServer.start();
    c = server.connect();
    run("CREATE TABLE customers (id BIGINT, name VARCHAR, tier VARCHAR)");
    run("INSERT INTO customers VALUES (1, 'Ada', 'gold'), (2, 'Bo', 'silver')");
    run("INSERT INTO customers VALUES (3, 'Cy', 'bronze')");
    run("INSERT INTO customers VALUES (4, 'Di ✓', 'gold')");
    run("CREATE TABLE updates (id BIGINT, name VARCHAR, tier VARCHAR, gone BOOLEAN)");
    run("INSERT INTO updates VALUES (2, 'Bo', 'gold', false), (3, NULL, NULL, true), (5, 'Eve', 'new', false)");
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  @Test
  void anIncrementalLoadIsOneCommitThatRewritesOnlyTheFilesItTouched() throws SQLException {
    Set<String> before = files("main");
    String head = head();
    long changed;
    try (Statement s = c.createStatement()) {
      changed = s.executeUpdate("MERGE INTO customers AS c USING updates u ON c.id = u.id"
          + " WHEN MATCHED AND u.gone THEN DELETE"
          + " WHEN MATCHED THEN UPDATE SET tier = u.tier, name = coalesce(u.name, c.name)"
          + " WHEN NOT MATCHED THEN INSERT (id, name, tier) VALUES (u.id, u.name, u.tier)");
    }
    assertEquals(3, changed, "one update, one delete, one insert");
    assertEquals(List.of("1:Ada:gold", "2:Bo:gold", "4:Di ✓:gold", "5:Eve:new"),
        column(query("SELECT id || ':' || name || ':' || tier FROM customers ORDER BY id"), 1));
    assertEquals(List.of(head), parentOfHead(), "one commit");
    Set<String> after = files("main");
    Set<String> kept = new HashSet<>(before);
    kept.retainAll(after);
    assertEquals(1, kept.size(), "the file of row 4 was not touched: " + before + " -> " + after);

    // only inserts: an append, and a merge that matches nothing changes nothing
    try (Statement s = c.createStatement()) {
      assertEquals(1, s.executeUpdate("MERGE INTO customers USING (VALUES (6, 'Fa', 'new')) AS v(id, name, tier)"
          + " ON customers.id = v.id WHEN NOT MATCHED THEN INSERT VALUES (v.id, v.name, v.tier)"));
      String last = head();
      assertEquals(0, s.executeUpdate("MERGE INTO customers USING (SELECT 99 AS id) AS v ON customers.id = v.id"
          + " WHEN MATCHED THEN DELETE"));
      assertEquals(last, head(), "nothing to do: no commit");
    }
    assertTrue(files("main").containsAll(after), "an insert-only merge appends");
  }

  @Test
  void mergeReadsOtherBranchesAndRefusesWhereWritesAreRefused() throws SQLException {
    run("CREATE BRANCH dev");
    run("INSERT INTO dev.public.updates VALUES (7, 'Gus', 'dev', false)");
    try (Statement s = c.createStatement()) {
      assertEquals(1, s.executeUpdate("MERGE INTO customers USING dev.public.updates u ON customers.id = u.id"
          + " WHEN NOT MATCHED AND u.id = 7 THEN INSERT VALUES (u.id, u.name, u.tier)"));
    }
    assertEquals(List.of("Gus"), column(query("SELECT name FROM customers WHERE id = 7"), 1));
    assertEquals(List.of("0"), column(query("SELECT count(*) FROM dev.public.customers WHERE id = 7"), 1),
        "dev, the source's branch, is untouched");

    run("CREATE TAG v1");
    assertRefused("MERGE INTO v1.public.customers USING updates u ON customers.id = u.id WHEN MATCHED THEN DELETE",
        "v1");
    assertRefused("MERGE INTO customers USING read_csv('/etc/passwd') u ON customers.id = 1 WHEN MATCHED THEN DELETE",
        "read_csv");
    assertRefused("MERGE INTO customers USING nowhere u ON customers.id = u.id WHEN MATCHED THEN DELETE", "nowhere");
    assertRefused("MERGE INTO customers USING updates u ON customers.id = u.id WHEN MATCHED THEN UPDATE SET"
        + " __tarn_file = 'x'", "reserves");
    assertRefused("MERGE INTO customers USING updates u ON customers.id = u.id", "WHEN");
    assertRefused("MERGE INTO customers USING updates u ON customers.id = u.id WHEN MATCHED THEN UPDATE SET"
        + " tier = (SELECT count(*) FROM read_parquet('/etc/x.parquet'))", "read_parquet");
    run("BEGIN");
    try (Statement s = c.createStatement()) {
      s.executeUpdate("MERGE INTO customers USING updates u ON customers.id = u.id WHEN MATCHED AND u.gone"
          + " THEN DELETE");
    }
    assertEquals(List.of("0"), column(query("SELECT count(*) FROM customers WHERE id = 3"), 1),
        "the transaction sees its own merge");
    run("ROLLBACK");
    assertEquals(List.of("1"), column(query("SELECT count(*) FROM customers WHERE id = 3"), 1),
        "a rolled-back merge leaves nothing");
    run("PROTECT BRANCH main");
    assertRefused("MERGE INTO customers USING updates u ON customers.id = u.id WHEN MATCHED THEN DELETE",
        "protected");
    run("UNPROTECT BRANCH main");
    assertEquals(List.of("5"), column(query("SELECT count(*) FROM customers"), 1), "the connection keeps serving");
  }

  @Test
  void insertOnConflictUpsertsByTheColumnsItNames() throws SQLException {
    String head = head();
    try (Statement s = c.createStatement()) {
      assertEquals(2, s.executeUpdate("INSERT INTO customers VALUES (2, 'Bo', 'platinum'), (9, 'Ny', 'new')"
          + " ON CONFLICT (id) DO UPDATE SET tier = excluded.tier"));
      assertEquals(List.of(head), parentOfHead(), "one commit");
      assertEquals(1, s.executeUpdate("INSERT INTO customers (id, name, tier) VALUES (1, 'X', 'x'), (10, 'Te', 't')"
          + " ON CONFLICT (id) DO NOTHING"));
    }
    assertEquals(List.of("1:Ada:gold", "2:Bo:platinum", "3:Cy:bronze", "4:Di ✓:gold", "9:Ny:new", "10:Te:t"),
        column(query("SELECT id || ':' || name || ':' || tier FROM customers ORDER BY id"), 1));

    assertRefused("INSERT OR REPLACE INTO customers VALUES (1, 'A', 'b')", "MERGE INTO");
    assertRefused("INSERT INTO customers VALUES (1, 'A', 'b') ON CONFLICT DO NOTHING", "column list");
    assertRefused("INSERT INTO customers VALUES (1, 'A', 'b') ON CONFLICT (nope) DO NOTHING", "no column nope");
    run("INSERT INTO customers VALUES (4, 'Dup', 'x')");
    assertRefused("INSERT INTO customers VALUES (4, 'D', 'y') ON CONFLICT (id) DO NOTHING", "do not identify a row");
    assertEquals(List.of("7"), column(query("SELECT count(*) FROM customers"), 1), "refusals changed nothing");
  }

  private void assertRefused(String sql, String expected) {
    SQLException e = assertThrows(SQLException.class, () -> run(sql), sql);
    assertTrue(e.getMessage().contains(expected), sql + " -> " + e.getMessage());
  }

  private List<String> parentOfHead() throws SQLException {
    return column(query("SHOW LOG LIMIT 1"), "parent_hash");
  }

  private String head() throws SQLException {
    try (ResultSet rs = query("SHOW LOG LIMIT 1")) {
      assertTrue(rs.next());
      return rs.getString("commit_hash");
    }
  }

  private Set<String> files(String branch) {
    Set<String> out = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = server.server().tarn().lakehouse().catalog()
        .loadTable(At.branch(branch), T).newScan().planWith(CallingThreadExecutor.INSTANCE).planFiles()) {
      tasks.forEach(t -> out.add(t.file().location()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private ResultSet query(String sql) throws SQLException {
    return c.createStatement().executeQuery(sql);
  }
}
