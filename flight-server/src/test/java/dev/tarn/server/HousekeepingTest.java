package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code VACUUM} and {@code EXPIRE SNAPSHOTS} through the stock Flight SQL JDBC driver on a real
 * warehouse: files another branch, a tag or a kept commit still needs are never deleted (every
 * reference reads the same rows before and after), old unreferenced files are, files written within
 * the grace period stay, and only an admin may run them.
 */
class HousekeepingTest {

  private static Properties login(String user) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", "s3cret-enough");
    return p;
  }

  @Test
  void vacuumKeepsWhatAnyReferenceNeedsAndExpireKeepsTheWindow() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret-enough")));
        Connection c = server.connect(login("admin"))) {
      run(c, "CREATE TABLE t (id BIGINT, name VARCHAR)");
      for (int id = 0; id < 20; id++) {
        run(c, "INSERT INTO t VALUES (" + id + ", 'row " + id + "')");
      }
      String twentyRows = head(c, "main");
      run(c, "CREATE BRANCH dev");
      run(c, "INSERT INTO dev.public.t VALUES (100, 'dev')");
      run(c, "CREATE TAG v1");
      run(c, "OPTIMIZE TABLE t");
      run(c, "INSERT INTO t VALUES (20, 'after')");
      List<List<String>> before = everything(c, twentyRows);
      Path tables = server.warehouse().resolve("tables");
      Path orphan = tables.resolve("public/t_leftover/data/orphan.parquet");
      Files.createDirectories(orphan.getParent());
      Files.writeString(orphan, "not a table's file");
      Path fresh = orphan.resolveSibling("in-flight.parquet");
      Files.writeString(fresh, "a write whose commit has not landed");
      age(tables, Duration.ofHours(2));
      Files.setLastModifiedTime(fresh, FileTime.from(Instant.now()));

      assertEquals(List.of(List.of(orphan.toString(), "18", "false")), rows(c, "VACUUM DRY RUN"));
      assertTrue(Files.exists(orphan), "a dry run deletes nothing");
      assertEquals(List.of(List.of(orphan.toString(), "18", "true")), rows(c, "VACUUM"));
      assertFalse(Files.exists(orphan));
      assertTrue(Files.exists(fresh), "a file written within the grace period stays");
      assertEquals(before, everything(c, twentyRows), "every reference and commit reads what it read");

      // Expiring: main keeps its newest 2 commits; dev and the tag keep theirs. The 20 one-row files
      // OPTIMIZE replaced are still needed by dev and v1, so they stay.
      assertEquals(List.of(), files(rows(c, "EXPIRE SNAPSHOTS OLDER THAN '2100-01-01' RETAIN LAST 2 DRY RUN"),
          ".parquet"));
      run(c, "DROP BRANCH dev");
      run(c, "DROP TAG v1");
      age(tables, Duration.ofHours(2));
      Files.setLastModifiedTime(fresh, FileTime.from(Instant.now()));
      List<List<String>> expired = rows(c, "EXPIRE SNAPSHOTS OLDER THAN '2100-01-01 00:00:00' RETAIN LAST 2");
      assertEquals(21, files(expired, ".parquet").size(), "the 20 replaced files and dev's file");
      assertTrue(Files.exists(fresh), "still within its grace period");
      assertEquals(List.of(), rows(c, "EXPIRE SNAPSHOTS OLDER THAN '2100-01-01' RETAIN LAST 2"), "nothing left");
      List<String> ids = new ArrayList<>();
      for (int id = 0; id <= 20; id++) {
        ids.add(Integer.toString(id));
      }
      assertEquals(ids, column(query(c, "SELECT id FROM t ORDER BY id"), 1), "main reads all its rows");
      SQLException gone = assertThrows(SQLException.class,
          () -> rows(c, "SELECT count(*) FROM t AT COMMIT '" + twentyRows + "'"));
      assertTrue(gone.getMessage().contains("can no longer be read"), gone.getMessage());
      assertEquals(List.of(List.of("21")), rows(c, "SELECT count(*) FROM t"), "the connection keeps serving");

      SQLException badTime = assertThrows(SQLException.class, () -> rows(c, "EXPIRE SNAPSHOTS OLDER THAN 'soon'"));
      assertTrue(badTime.getMessage().contains("cannot read the timestamp 'soon'"), badTime.getMessage());
      run(c, "BEGIN");
      SQLException inTx = assertThrows(SQLException.class, () -> rows(c, "VACUUM"));
      assertTrue(inTx.getMessage().contains("not allowed inside a transaction"), inTx.getMessage());
      run(c, "ROLLBACK");

      run(c, "CREATE USER writer PASSWORD 's3cret-enough'");
      run(c, "GRANT WRITE ON ALL BRANCHES TO USER writer");
      try (Connection writer = server.connect(login("writer"))) {
        SQLException refused = assertThrows(SQLException.class, () -> rows(writer, "VACUUM DRY RUN"));
        assertTrue(refused.getMessage().contains("ADMIN"), refused.getMessage());
        SQLException expire = assertThrows(SQLException.class, () -> rows(writer, "EXPIRE SNAPSHOTS"));
        assertTrue(expire.getMessage().contains("ADMIN"), expire.getMessage());
      }
    }
  }

  /** Every reference's rows, and those of the commit {@code old}. */
  private static List<List<String>> everything(Connection c, String old) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    for (String sql : List.of("SELECT * FROM t ORDER BY id", "SELECT * FROM dev.public.t ORDER BY id",
        "SELECT * FROM t AT TAG v1 ORDER BY id", "SELECT * FROM t AT COMMIT '" + old + "' ORDER BY id")) {
      out.addAll(rows(c, sql));
      out.add(List.of("--"));
    }
    return out;
  }

  private static List<String> files(List<List<String>> rows, String suffix) {
    return rows.stream().map(r -> r.get(0)).filter(p -> p.endsWith(suffix)).toList();
  }

  /** Makes every file under {@code folder} look written {@code ago}: as if that much time passed. */
  private static void age(Path folder, Duration ago) throws IOException {
    FileTime then = FileTime.from(Instant.now().minus(ago));
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(f, then);
      }
    }
  }

  private static String head(Connection c, String branch) throws SQLException {
    try (ResultSet rs = query(c, "SHOW LOG " + branch + " LIMIT 1")) {
      assertTrue(rs.next());
      return rs.getString("commit_hash");
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

  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
