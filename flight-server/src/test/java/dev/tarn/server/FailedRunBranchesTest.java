package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The branches failed pipeline runs keep: hidden from SHOW BRANCHES, SHOW REFERENCES and JDBC's
 * catalogs, listed by SHOW BRANCHES ALL, reachable by name, and dropped once older than
 * {@code --failed-run-branch-ttl}, while user branches that look like them are left alone.
 */
class FailedRunBranchesTest {
  /** Short enough to watch expire, long enough to look at the branch first on a busy machine. */
  private static final Duration TTL = Duration.ofSeconds(8);
  private static final Pattern KEPT = Pattern.compile("branch '(tarn_run_[0-9a-f]{12})' is kept");

  private static Path projects;
  private static RunningServer server;

  @BeforeAll
  static void start() throws Exception {
    projects = Files.createTempDirectory("tarn-projects");
    Path failing = Files.createDirectories(projects.resolve("failing"));
    Files.writeString(failing.resolve("models.py"), """
        import tarn

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def first(data=tarn.Model("numbers", columns=["id"])):
            return data

        @tarn.model(materialize=True)
        @tarn.python("3.11")
        def broken(data=tarn.Model("first")):
            raise ValueError("no rates for GBP")
        """);
    server = RunningServer.start(c -> c.withProjectsRoot(projects).withFailedRunBranchTtl(TTL));
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE numbers AS SELECT range AS id FROM range(10)");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    try (var files = Files.walk(projects)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void aFailedRunsBranchIsHiddenListedByAllReachableAndExpires() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      // a user's branch is never taken for a run's: the names are reserved
      SQLException reserved = assertThrows(SQLException.class,
          () -> s.execute("CREATE BRANCH tarn_run_000000000000 FROM main"));
      assertTrue(reserved.getMessage().contains("reserved for the branches of pipeline runs"), reserved.getMessage());

      String kept = failRun(s);
      String dropped = failRun(s);
      s.execute("DROP BRANCH " + dropped); // a kept run branch may be dropped by hand, and its name stays the run's
      assertThrows(SQLException.class, () -> s.execute("CREATE BRANCH " + dropped + " FROM main"));
      s.execute("CREATE BRANCH run_notes FROM main");

      List<String> branches = column(s.executeQuery("SHOW BRANCHES"), "name");
      assertFalse(branches.contains(kept), "hidden from SHOW BRANCHES: " + branches);
      assertTrue(branches.containsAll(List.of("main", "run_notes")), "user branches stay listed: " + branches);
      assertFalse(column(s.executeQuery("SHOW REFERENCES"), "name").contains(kept));
      assertTrue(column(s.executeQuery("SHOW BRANCHES ALL"), "name").contains(kept));
      assertTrue(column(s.executeQuery("SHOW REFERENCES ALL"), "name").contains(kept));
      List<String> catalogs = column(c.getMetaData().getCatalogs(), 1);
      assertFalse(catalogs.contains(kept), "hidden from getCatalogs: " + catalogs);
      assertTrue(catalogs.contains("run_notes"), catalogs::toString);

      assertEquals(List.of("10"), column(s.executeQuery("SELECT count(*) FROM first AT BRANCH " + kept), 1),
          "reachable by name: the first model's table as the run left it");
      try (Statement inside = c.createStatement()) {
        inside.execute("USE BRANCH " + kept);
        assertEquals(List.of("10"), column(inside.executeQuery("SELECT count(*) FROM first"), 1));
        inside.execute("USE BRANCH main");
      }

      long deadline = System.nanoTime() + TTL.plusSeconds(30).toNanos();
      while (column(s.executeQuery("SHOW BRANCHES ALL"), "name").contains(kept) && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      List<String> after = column(s.executeQuery("SHOW BRANCHES ALL"), "name");
      assertFalse(after.contains(kept), "dropped once older than the time to keep it: " + after);
      assertTrue(after.containsAll(List.of("main", "run_notes")), "never a user branch: " + after);
      SQLException gone = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT count(*) FROM first AT BRANCH " + kept).close());
      assertTrue(gone.getMessage().contains(kept), gone.getMessage());
    }
  }

  @Test
  void aBadTimeToKeepIsNamed() throws Exception {
    Path warehouse = Files.createTempDirectory("tarn-ttl");
    for (String bad : List.of("0d", "7 days", "-1h", "1w", "")) {
      Cli.Outcome outcome = Cli.tarn("serve", "--warehouse", warehouse.toString(), "--port", "0",
          "--failed-run-branch-ttl", bad);
      assertEquals(2, outcome.exit(), bad + ": " + outcome.err());
      assertTrue(outcome.err().contains("--failed-run-branch-ttl") && outcome.err().contains("7d"), outcome.err());
    }
  }

  /** Runs the failing project on main; returns the branch its error names as kept. */
  private static String failRun(Statement s) {
    Exception failed = assertThrows(Exception.class, () -> column(s.executeQuery("RUN PIPELINE 'failing'"), 1));
    Matcher named = KEPT.matcher(failed.getMessage());
    assertTrue(named.find(), "the error names the kept branch: " + failed.getMessage());
    assertNotNull(named.group(1));
    return named.group(1);
  }
}
