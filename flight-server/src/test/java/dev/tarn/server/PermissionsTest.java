package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tarn.server.ServerConfig.Credentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, roles, grants, tokens and protected branches through the stock Flight SQL JDBC driver,
 * against a real server with a password.
 */
class PermissionsTest {
  private static final String ADMIN = "root";
  private static final String ADMIN_PASSWORD = "root-password";
  private static final String PASSWORD = "team-password";
  private static RunningServer server;

  @BeforeAll
  static void startWithTeam() throws SQLException {
    server = RunningServer.start(c -> c.withCredentials(new Credentials(ADMIN, ADMIN_PASSWORD)));
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
      s.execute("INSERT INTO t VALUES (1)");
      s.execute("CREATE BRANCH dev_a FROM main");
      s.execute("INSERT INTO dev_a.public.t VALUES (2)");
      s.execute("CREATE ROLE readers");
      s.execute("CREATE ROLE devs");
      s.execute("CREATE ROLE maintainers");
      s.execute("GRANT READ ON ALL BRANCHES TO ROLE readers");
      s.execute("GRANT READ ON BRANCH 'dev_*' TO ROLE devs");
      s.execute("GRANT WRITE ON BRANCH 'dev_*' TO ROLE devs");
      s.execute("GRANT BRANCH ON BRANCH 'dev_*' TO ROLE devs");
      s.execute("GRANT READ ON ALL BRANCHES TO ROLE maintainers");
      s.execute("GRANT MERGE ON BRANCH 'main' TO ROLE maintainers");
      s.execute("CREATE USER reader PASSWORD '" + PASSWORD + "' IN ROLE readers");
      s.execute("CREATE USER dev PASSWORD '" + PASSWORD + "' IN ROLE devs");
      s.execute("CREATE USER maint PASSWORD '" + PASSWORD + "'");
      s.execute("GRANT ROLE maintainers TO USER maint");
      s.execute("CREATE USER nobody PASSWORD '" + PASSWORD + "'");
      s.execute("CREATE USER boss PASSWORD '" + PASSWORD + "'");
      s.execute("GRANT ADMIN ON ALL BRANCHES TO USER boss");
      s.execute("CREATE BRANCH wo_a FROM main");
      s.execute("CREATE USER blindwriter PASSWORD '" + PASSWORD + "'");
      s.execute("GRANT WRITE ON BRANCH 'wo_*' TO USER blindwriter");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return server.connect(p);
  }

  private static Connection withToken(String secret) throws SQLException {
    Properties p = new Properties();
    p.setProperty("token", secret);
    return server.connect(p);
  }

  private static int counter;

  private static synchronized String unique(String prefix) {
    return prefix + (++counter);
  }

  /** One operation of the matrix: statements run in order on a fresh connection. */
  private record Operation(String name, List<String> statements) {}

  private static List<Operation> operations() {
    String devBranch = unique("dev_new_");
    String otherBranch = unique("feature_");
    String source = unique("dev_src_");
    return List.of(
        new Operation("read main", List.of("SELECT count(*) FROM t")),
        new Operation("read dev_a", List.of("USE BRANCH dev_a", "SELECT count(*) FROM t")),
        new Operation("insert main", List.of("INSERT INTO t VALUES (7)")),
        new Operation("insert dev_a", List.of("USE BRANCH dev_a", "INSERT INTO t VALUES (7)")),
        new Operation("create and drop dev_*", List.of("CREATE BRANCH " + devBranch + " FROM dev_a",
            "DROP BRANCH " + devBranch)),
        new Operation("create feature_*", List.of("CREATE BRANCH " + otherBranch + " FROM main")),
        new Operation("merge into main", List.of("MERGE BRANCH " + source + " INTO main")),
        new Operation("admin statement", List.of("CREATE ROLE " + unique("role_"))));
  }

  /** What each user may do, and the refusal's text otherwise (user, privilege, reference). */
  private static String expected(String user, String operation) {
    return switch (user) {
      case "boss" -> null;
      case "reader" -> switch (operation) {
        case "read main", "read dev_a" -> null;
        case "insert main" -> "lacks WRITE on branch main";
        case "insert dev_a" -> "lacks WRITE on branch dev_a";
        case "create and drop dev_*" -> "lacks BRANCH on branch dev_new_";
        case "create feature_*" -> "lacks BRANCH on branch feature_";
        case "merge into main" -> "lacks MERGE on branch main";
        default -> "lacks ADMIN";
      };
      case "dev" -> switch (operation) {
        case "read dev_a", "insert dev_a", "create and drop dev_*" -> null;
        case "read main" -> "lacks READ on branch main";
        // a write checks WRITE, then READ (it reads the branch it writes): the first one missing is named
        case "insert main" -> "lacks WRITE on branch main";
        case "create feature_*" -> "lacks BRANCH on branch feature_";
        case "merge into main" -> "lacks MERGE on branch main";
        default -> "lacks ADMIN";
      };
      case "maint" -> switch (operation) {
        case "read main", "read dev_a", "merge into main" -> null;
        case "insert main" -> "lacks WRITE on branch main";
        case "insert dev_a" -> "lacks WRITE on branch dev_a";
        case "create and drop dev_*" -> "lacks BRANCH on branch dev_new_";
        case "create feature_*" -> "lacks BRANCH on branch feature_";
        default -> "lacks ADMIN";
      };
      case "nobody" -> switch (operation) {
        case "read main" -> "lacks READ on branch main";
        case "insert main" -> "lacks WRITE on branch main";
        case "read dev_a", "insert dev_a" -> "lacks READ on branch dev_a";
        case "create and drop dev_*" -> "lacks BRANCH on branch dev_new_";
        case "create feature_*" -> "lacks BRANCH on branch feature_";
        case "merge into main" -> "lacks MERGE on branch main";
        default -> "lacks ADMIN";
      };
      default -> throw new IllegalArgumentException(user);
    };
  }

  @Test
  void permissionMatrix() throws SQLException {
    List<String> failures = new ArrayList<>();
    for (String user : List.of("reader", "dev", "maint", "nobody", "boss")) {
      for (Operation op : operations()) {
        if (op.name().equals("merge into main")) {
          // a branch with a change of its own to merge, made by the admin
          try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
            String source = op.statements().get(0).split(" ")[2];
            s.execute("CREATE BRANCH " + source + " FROM main");
            s.execute("INSERT INTO " + source + ".public.t VALUES (3)");
          }
        }
        String refusal = expected(user, op.name());
        try (Connection c = connect(user, PASSWORD); Statement s = c.createStatement()) {
          try {
            for (String sql : op.statements()) {
              s.execute(sql);
            }
            if (refusal != null) {
              failures.add(user + " / " + op.name() + ": allowed, expected a refusal containing '" + refusal + "'");
            }
          } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (refusal == null) {
              failures.add(user + " / " + op.name() + ": refused: " + message);
            } else if (!message.contains("user " + user + " " + refusal)) {
              failures.add(user + " / " + op.name() + ": expected '" + refusal + "', got: " + message);
            }
          }
          // after a refusal the connection keeps serving
          try (ResultSet rs = s.executeQuery("SELECT 42")) {
            assertTrue(rs.next());
          }
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void aQueryReadingTwoReferencesNeedsReadOnEach() throws SQLException {
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      s.execute("USE BRANCH dev_a");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM dev_a.public.t")) {
        assertTrue(rs.next());
      }
      SQLException e = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT * FROM t JOIN main.public.t AS m ON true").close());
      assertTrue(e.getMessage().contains("user dev lacks READ on branch main"), e.getMessage());
      // a count answered from the table's manifests needs READ as its scan would
      SQLException count = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT count(*) FROM main.public.t").close());
      assertTrue(count.getMessage().contains("user dev lacks READ on branch main"), count.getMessage());
      SQLException sources = assertThrows(SQLException.class,
          () -> s.execute("INSERT INTO t SELECT x FROM main.public.t"));
      assertTrue(sources.getMessage().contains("user dev lacks READ on branch main"), sources.getMessage());
    }
  }

  /**
   * A table is planned and its files looked up only after READ on the commit it is read at: a reader
   * without READ learns nothing of the table from what its files would have said (here, that one is
   * missing, and where).
   */
  @Test
  void readIsCheckedBeforeATablesFilesAreLookedUp() throws Exception {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE damaged AS SELECT 1 AS x");
      java.nio.file.Path file = server.dataFiles().stream().filter(f -> f.toString().contains("damaged"))
          .findFirst().orElseThrow();
      java.nio.file.Files.delete(file);
      SQLException seen = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM damaged").close());
      assertTrue(seen.getMessage().contains(file.getFileName().toString()), "the damage is real: " + seen.getMessage());
    }
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      s.execute("USE BRANCH dev_a");
      for (String sql : List.of("SELECT * FROM main.public.damaged", "SELECT count(*) FROM main.public.damaged",
          "SELECT x FROM t WHERE x IN (SELECT x FROM main.public.damaged)")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), sql);
        assertTrue(e.getMessage().contains("user dev lacks READ on branch main")
            && !e.getMessage().contains("data file"), sql + ": " + e.getMessage());
      }
      SQLException write = assertThrows(SQLException.class,
          () -> s.executeUpdate("INSERT INTO t SELECT x FROM main.public.damaged"));
      assertTrue(write.getMessage().contains("user dev lacks READ on branch main"), write.getMessage());
    }
  }

  /**
   * A write reads the branch it changes: one that answers from a table's rows (how many it deleted,
   * updated, compacted), a transaction (whose statements read its branch) and any write to an
   * existing table need READ as well as WRITE, checked before the table is looked up. A user with
   * WRITE alone learns neither rows nor row counts.
   */
  @Test
  void aWriterWithoutReadLearnsNothingOfTheBranch() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "blindwriter");
    p.setProperty("password", PASSWORD);
    p.setProperty("branch", "wo_a");
    try (Connection c = server.connect(p); Statement s = c.createStatement()) {
      for (String sql : List.of("DELETE FROM t", "DELETE FROM wo_a.public.t", "UPDATE t SET x = 5",
          "DELETE FROM t WHERE true", "INSERT INTO t DEFAULT VALUES", "DELETE FROM no_such_table",
          "MERGE INTO t USING (SELECT 1 AS y) AS s ON true WHEN MATCHED THEN DELETE",
          "INSERT INTO t VALUES (3) ON CONFLICT (x) DO NOTHING", "OPTIMIZE TABLE t", "BEGIN")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertTrue(e.getMessage().contains("user blindwriter lacks READ on branch wo_a"), sql + ": " + e.getMessage());
      }
      // nothing was changed, and the connection goes on serving
      assertTrue(s.execute("SELECT 1"));
      assertEquals(0, s.executeUpdate("CREATE TABLE writer_own (y INTEGER)"), "WRITE alone still creates tables");
    }
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), min(x) FROM wo_a.public.t")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getLong(1));
      assertEquals(1, rs.getInt(2));
    }
  }

  /**
   * A transaction's statements read and write its private branch under the grants of the branch it
   * commits into, checked at each statement: a grant revoked while it is open counts at once.
   */
  @Test
  void aTransactionIsGovernedByTheGrantsOfItsBranchAtEachStatement() throws SQLException {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE BRANCH tx_a FROM main");
      s.execute("CREATE USER txuser PASSWORD '" + PASSWORD + "'");
      s.execute("GRANT READ ON BRANCH 'tx_*' TO USER txuser");
      s.execute("GRANT WRITE ON BRANCH 'tx_*' TO USER txuser");
    }
    Properties p = new Properties();
    p.setProperty("user", "txuser");
    p.setProperty("password", PASSWORD);
    p.setProperty("branch", "tx_a");
    try (Connection c = server.connect(p); Statement s = c.createStatement()) {
      s.execute("BEGIN");
      s.executeUpdate("INSERT INTO t VALUES (40)");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t WHERE x = 40")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1), "the transaction reads its own write");
      }
      try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement a = admin.createStatement()) {
        a.execute("REVOKE READ ON BRANCH 'tx_*' FROM USER txuser");
      }
      for (String sql : List.of("SELECT * FROM t", "SELECT count(*) FROM t", "DELETE FROM t WHERE x = 40")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertTrue(e.getMessage().contains("user txuser lacks READ on branch tx_a"), sql + ": " + e.getMessage());
      }
      try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement a = admin.createStatement()) {
        a.execute("GRANT READ ON BRANCH 'tx_*' TO USER txuser");
        a.execute("REVOKE WRITE ON BRANCH 'tx_*' FROM USER txuser");
      }
      SQLException write = assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO t VALUES (41)"));
      assertTrue(write.getMessage().contains("user txuser lacks WRITE on branch tx_a"), write.getMessage());
      SQLException commit = assertThrows(SQLException.class, () -> s.execute("COMMIT"));
      assertTrue(commit.getMessage().contains("rolled back"), commit.getMessage());
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t WHERE x IN (40, 41)")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong(1), "nothing of the transaction landed");
      }
    }
  }

  /**
   * A name pointing into another reference, and a write prepared against a table of another
   * branch, are looked up only after the privileges on that branch are checked.
   */
  @Test
  void aNameInAnotherBranchIsLookedUpOnlyWithItsPrivileges() throws SQLException {
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      s.execute("USE BRANCH dev_a");
      for (String sql : List.of("SELECT * FROM main.public.no_such_table", "SELECT count(*) FROM main.public.no_such",
          "SELECT * FROM main.public.t", "DELETE FROM main.public.no_such_table",
          "SELECT * FROM main.public.t AT TIMESTAMP '2000-01-01 00:00:00'")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertTrue(e.getMessage().contains("user dev lacks") && e.getMessage().contains("on branch main")
            && !e.getMessage().contains("does not exist"), sql + ": " + e.getMessage());
      }
      SQLException prepared = assertThrows(SQLException.class,
          () -> c.prepareStatement("INSERT INTO main.public.t VALUES (?)").close());
      assertTrue(messages(prepared).contains("user dev lacks WRITE on branch main"), messages(prepared));
      try (var ok = c.prepareStatement("INSERT INTO dev_a.public.t VALUES (?)")) {
        ok.setInt(1, 8);
        assertEquals(1, ok.executeUpdate(), "a write prepared on a branch the user may write runs");
      }
    }
  }

  /**
   * A text Tarn's grammar reads as naming no table while DuckDB reads a table in it would reach the
   * session's commit, whose views other statements made: DuckDB's own reading decides what it reads.
   */
  @Test
  void aTableOnlyDuckDbSeesInTheTextStillNeedsRead() throws SQLException {
    try (Connection c = connect(ADMIN, ADMIN_PASSWORD); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM t")) {
      assertTrue(rs.next(), "main's view of t exists now");
    }
    try (Connection c = connect("nobody", PASSWORD); Statement s = c.createStatement()) {
      for (String sql : List.of("SELECT 1 //* a comment to DuckDB */ 1 AS one, x FROM t",
          "SELECT $a$, ' $a$ AS c, x FROM t WHERE $b$ ', $b$ IS NOT NULL")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), sql);
        assertTrue(e.getMessage().contains("user nobody lacks READ on branch main"), sql + ": " + e.getMessage());
      }
      try (ResultSet rs = s.executeQuery("SELECT 1 + 1")) {
        assertTrue(rs.next(), "a query of no table needs no READ");
      }
    }
  }

  @Test
  void listingsOfAnUnreadableReferenceAreRefused() throws SQLException {
    try (Connection c = connect("nobody", PASSWORD); Statement s = c.createStatement()) {
      for (String sql : List.of("SHOW TABLES", "DESCRIBE t", "SUMMARIZE t", "SHOW t")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), sql);
        assertTrue(e.getMessage().contains("user nobody lacks READ on branch main"), e.getMessage());
      }
    }
    try (Connection c = connect("reader", PASSWORD); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW TABLES")) {
      assertTrue(rs.next(), "a reader lists the tables");
    }
  }

  @Test
  void aCommitOnlyUnreadableReferencesHoldIsNotFoundByItsHash() throws SQLException {
    String secret;
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE BRANCH secret_b FROM main");
      s.execute("INSERT INTO secret_b.public.t VALUES (99)");
      try (ResultSet rs = s.executeQuery("SHOW LOG secret_b LIMIT 1")) {
        assertTrue(rs.next());
        secret = rs.getString("commit_hash");
      }
    }
    String missing = "0123456789abcdef".repeat(4);
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      s.execute("USE BRANCH dev_a");
      for (String sql : List.of("SELECT * FROM t AT COMMIT '%s'", "SELECT * FROM dev_a.public.t AT COMMIT '%s'",
          "CREATE BRANCH dev_stolen FROM dev_a AT COMMIT '%s'", "USE REFERENCE dev_a AT COMMIT '%s'")) {
        SQLException hidden = assertThrows(SQLException.class, () -> s.execute(String.format(sql, secret)));
        SQLException absent = assertThrows(SQLException.class, () -> s.execute(String.format(sql, missing)));
        assertFalse(hidden.getMessage().replace(secret, "<hash>").contains("99"), hidden.getMessage());
        assertEquals(absent.getMessage().replace(missing, "<hash>"), hidden.getMessage().replace(secret, "<hash>"),
            "a commit the user may not read answers like one that does not exist");
      }
    }
    try (Connection c = connect("reader", PASSWORD); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM t AT COMMIT '" + secret + "' WHERE x = 99")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1), "a reader of every branch reads it");
    }
  }

  @Test
  void onlyAdminsSeeAndEndEveryonesSessionsStatementsAndRecords() throws SQLException {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement a = admin.createStatement();
        Connection reader = connect("reader", PASSWORD); Statement r = reader.createStatement()) {
      a.executeQuery("SELECT 1").close();
      r.executeQuery("SELECT count(*) FROM t").close();
      assertEquals(java.util.Set.of("reader"), users(r, "SHOW AUDIT"), "a user sees only their own records");
      assertEquals(java.util.Set.of("reader"), users(r, "SHOW SESSIONS"));
      assertTrue(users(a, "SHOW AUDIT").containsAll(java.util.Set.of(ADMIN, "reader")), "an admin sees everyone's");
      String adminSession = null;
      try (ResultSet rs = a.executeQuery("SHOW SESSIONS")) {
        while (rs.next()) {
          if (ADMIN.equals(rs.getString("user"))) {
            adminSession = rs.getString("session_id");
          }
        }
      }
      String target = adminSession;
      SQLException refused = assertThrows(SQLException.class, () -> r.execute("KILL SESSION '" + target + "'"));
      assertTrue(refused.getMessage().contains("only an admin may end it"), refused.getMessage());
      try (ResultSet rs = a.executeQuery("SELECT 42")) {
        assertTrue(rs.next(), "the admin's session goes on");
      }
    }
  }

  private static java.util.Set<String> users(Statement s, String sql) throws SQLException {
    java.util.Set<String> users = new java.util.TreeSet<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        users.add(rs.getString("user"));
      }
    }
    return users;
  }

  @Test
  void protectedMainRefusesADirectInsertAndAcceptsAMergeFromAMaintainer() throws SQLException {
    String feature = unique("dev_feature_");
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE USER writer PASSWORD '" + PASSWORD + "'");
      s.execute("GRANT READ ON ALL BRANCHES TO USER writer");
      s.execute("GRANT WRITE ON ALL BRANCHES TO USER writer");
      s.execute("CREATE BRANCH " + feature + " FROM main");
      s.execute("INSERT INTO " + feature + ".public.t VALUES (100)");
      s.execute("PROTECT BRANCH main");
    }
    try {
      for (String user : List.of("writer", ADMIN)) {
        try (Connection c = connect(user, user.equals(ADMIN) ? ADMIN_PASSWORD : PASSWORD);
            Statement s = c.createStatement()) {
          SQLException insert = assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (9)"));
          assertTrue(insert.getMessage().contains("branch main is protected"), insert.getMessage());
          SQLException begin = assertThrows(SQLException.class, () -> s.execute("BEGIN"));
          assertTrue(begin.getMessage().contains("branch main is protected"), begin.getMessage());
          SQLException assign = assertThrows(SQLException.class,
              () -> s.execute("ALTER BRANCH main ASSIGN TO dev_a"));
          assertTrue(assign.getMessage().contains("branch main is protected"), assign.getMessage());
          SQLException drop = assertThrows(SQLException.class, () -> s.execute("DROP BRANCH main"));
          assertTrue(drop.getMessage().contains("branch main is protected"), drop.getMessage());
        }
      }
      try (Connection c = connect("maint", PASSWORD); Statement s = c.createStatement()) {
        s.execute("MERGE BRANCH " + feature + " INTO main");
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t WHERE x = 100")) {
          assertTrue(rs.next());
          assertEquals(1, rs.getLong(1));
        }
      }
    } finally {
      try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
        s.execute("UNPROTECT BRANCH main");
      }
    }
  }

  @Test
  void aUserWithoutRunCannotStartAPipeline() throws SQLException {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE USER runner PASSWORD '" + PASSWORD + "'");
      s.execute("GRANT READ ON ALL BRANCHES TO USER runner");
      s.execute("GRANT RUN ON BRANCH 'dev_*' TO USER runner");
    }
    try (Connection c = connect("runner", PASSWORD); Statement s = c.createStatement()) {
      SQLException noRun = assertThrows(SQLException.class, () -> s.execute("RUN PIPELINE 'project'"));
      assertTrue(noRun.getMessage().contains("user runner lacks RUN on branch main"), noRun.getMessage());
      SQLException noWrite = assertThrows(SQLException.class,
          () -> s.execute("RUN PIPELINE 'project' ON BRANCH dev_a"));
      assertTrue(noWrite.getMessage().contains("user runner lacks WRITE on branch dev_a"), noWrite.getMessage());
    }
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.execute("RUN PIPELINE 'project' ON BRANCH dev_a"));
      assertTrue(e.getMessage().contains("user dev lacks RUN on branch dev_a"), e.getMessage());
    }
  }

  @Test
  void aDroppedOrExpiredTokenStopsWorkingAtOnce() throws Exception {
    String secret;
    String shortLived;
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      try (ResultSet rs = s.executeQuery("CREATE TOKEN ci_reader FOR USER reader")) {
        assertTrue(rs.next());
        secret = rs.getString("secret");
      }
      try (ResultSet rs = s.executeQuery("CREATE TOKEN ci_brief FOR USER reader EXPIRES IN '3 seconds'")) {
        assertTrue(rs.next());
        shortLived = rs.getString("secret");
      }
      try (ResultSet rs = s.executeQuery("SHOW TOKENS")) {
        Set<String> names = new TreeSet<>();
        while (rs.next()) {
          names.add(rs.getString("token_name"));
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            assertFalse(String.valueOf(rs.getString(i)).contains(secret), "SHOW TOKENS shows no secret");
          }
        }
        assertTrue(names.containsAll(Set.of("ci_reader", "ci_brief")), names.toString());
      }
    }
    // closing statements is a call too, which a dropped token cannot make: closed quietly at the end
    Connection c = withToken(secret);
    Connection brief = withToken(shortLived);
    try {
      Statement s = c.createStatement();
      Statement b = brief.createStatement();
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        assertTrue(rs.next());
      }
      SQLException write = assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (5)"));
      assertTrue(write.getMessage().contains("user reader lacks WRITE on branch main"), write.getMessage());
      try (ResultSet rs = b.executeQuery("SELECT 1")) {
        assertTrue(rs.next());
      }
      try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement a = admin.createStatement()) {
        a.execute("DROP TOKEN ci_reader");
      }
      SQLException dropped = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1").close());
      assertTrue(dropped.getMessage().contains("API token is unknown, was dropped, or has expired"),
          dropped.getMessage());
      Thread.sleep(3_500);
      SQLException expired = assertThrows(SQLException.class, () -> b.executeQuery("SELECT 1").close());
      assertTrue(expired.getMessage().contains("API token is unknown, was dropped, or has expired"),
          expired.getMessage());
    } finally {
      closeQuietly(c);
      closeQuietly(brief);
    }
    SQLException guessed = assertThrows(SQLException.class,
        () -> withToken("tarn_not-a-real-token").createStatement().executeQuery("SELECT 1").close());
    assertTrue(guessed.getMessage().contains("API token"), guessed.getMessage());
  }

  @Test
  void aDroppedUserCannotLogInAndUsersChangeTheirOwnPassword() throws SQLException {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE USER temp PASSWORD '" + PASSWORD + "'");
    }
    try (Connection c = connect("temp", PASSWORD); Statement s = c.createStatement()) {
      SQLException other = assertThrows(SQLException.class, () -> s.execute("ALTER USER dev PASSWORD 'hijacked!!'"));
      assertTrue(other.getMessage().contains("user temp lacks ADMIN"), other.getMessage());
      s.execute("ALTER USER temp PASSWORD 'changed-password'");
      // a password change ends every session opened with the old password, this one too
      SQLException ended = assertThrows(SQLException.class, () -> s.execute("SELECT 1"));
      assertTrue(ended.getMessage().contains("password changed") && ended.getMessage().contains("connect again"),
          ended.getMessage());
    } catch (SQLException closing) {
      // the stock driver's close() talks to the server, which no longer knows this session
    }
    assertThrows(SQLException.class, () -> connect("temp", PASSWORD).createStatement().execute("SELECT 1"));
    Connection c = connect("temp", "changed-password");
    try {
      Statement s = c.createStatement();
      s.execute("SELECT 1");
      try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement a = admin.createStatement()) {
        a.execute("DROP USER temp");
      }
      // the session token handed out at login stops working with its user
      SQLException gone = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1").close());
      assertTrue(gone.getMessage().contains("no longer exists"), gone.getMessage());
    } finally {
      closeQuietly(c);
    }
    assertThrows(SQLException.class, () -> connect("temp", "changed-password").createStatement().execute("SELECT 1"));
  }

  @Test
  void showTablesAndShowTableNeedReadOnTheSessionsReference() throws SQLException {
    // Tarn's grammar reads both as PostgreSQL's SHOW variable, naming no table; DuckDB lists the
    // tables of the session's reference and a table's columns
    try (Connection c = connect("nobody", PASSWORD); Statement s = c.createStatement()) {
      for (String sql : List.of("SHOW TABLES", "SHOW t")) {
        SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), sql);
        assertTrue(refused.getMessage().contains("user nobody lacks READ on branch main"), refused.getMessage());
      }
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        assertTrue(rs.next(), "a query that names no table still needs nothing");
      }
    }
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      // dev's session starts on main, which dev may not read
      SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery("SHOW TABLES").close());
      assertTrue(refused.getMessage().contains("user dev lacks READ on branch main"), refused.getMessage());
    }
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      s.execute("USE BRANCH dev_a");
      s.executeQuery("SELECT count(*) FROM t").close();
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertTrue(tables.contains("t"), tables.toString());
      try (ResultSet rs = s.executeQuery("SHOW t")) {
        assertTrue(rs.next());
      }
    }
  }

  @Test
  void aSessionOfADroppedUserStaysDeadWhenTheNameIsReused() throws SQLException {
    String name = unique("reused_");
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE USER " + name + " PASSWORD 'first-holder-1'");
      Connection old = connect(name, "first-holder-1");
      try {
        Statement o = old.createStatement();
        o.executeQuery("SELECT 1").close();
        s.execute("DROP USER " + name);
        assertThrows(SQLException.class, () -> o.executeQuery("SELECT 1").close());
        // someone else gets the name, with a password the first holder does not know
        s.execute("CREATE USER " + name + " PASSWORD 'second-holder-2' IN ROLE readers");
        SQLException refused = assertThrows(SQLException.class, () -> o.executeQuery("SELECT count(*) FROM t").close(),
            "the first holder's session acts as the new user");
        assertTrue(refused.getMessage().contains("no longer valid") && refused.getMessage().contains(name),
            refused.getMessage());
      } finally {
        closeQuietly(old);
      }
      try (Connection second = connect(name, "second-holder-2"); Statement n = second.createStatement()) {
        n.executeQuery("SELECT 1").close();
      }
    }
  }

  @Test
  void aPasswordChangeEndsTheSessionsOpenedWithTheOldPassword() throws SQLException {
    String name = unique("moved_");
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      s.execute("CREATE USER " + name + " PASSWORD 'old-secret-1' IN ROLE readers");
      Connection old = connect(name, "old-secret-1");
      try {
        Statement o = old.createStatement();
        o.executeQuery("SELECT 1").close();
        s.execute("ALTER USER " + name + " PASSWORD 'new-secret-2'");
        SQLException refused = assertThrows(SQLException.class, () -> o.executeQuery("SELECT 1").close());
        assertTrue(refused.getMessage().contains("password changed"), refused.getMessage());
      } finally {
        closeQuietly(old);
      }
      assertThrows(SQLException.class, () -> connect(name, "old-secret-1").createStatement().execute("SELECT 1"));
      try (Connection renewed = connect(name, "new-secret-2"); Statement n = renewed.createStatement()) {
        n.executeQuery("SELECT 1").close();
      }
      // the admin's own session, which made both changes, is untouched
      s.executeQuery("SELECT 1").close();
    }
  }


  @Test
  void metadataListsOnlyReadableReferences() throws SQLException {
    try (Connection c = connect("dev", PASSWORD)) {
      DatabaseMetaData meta = c.getMetaData();
      Set<String> catalogs = new TreeSet<>();
      try (ResultSet rs = meta.getCatalogs()) {
        while (rs.next()) {
          catalogs.add(rs.getString(1));
        }
      }
      assertTrue(catalogs.contains("dev_a"), catalogs.toString());
      assertTrue(catalogs.stream().allMatch(name -> name.startsWith("dev_")), catalogs.toString());
      try (ResultSet rs = meta.getSchemas()) {
        while (rs.next()) {
          assertTrue(rs.getString("TABLE_CATALOG").startsWith("dev_"), rs.getString("TABLE_CATALOG"));
        }
      }
      try (ResultSet rs = meta.getSchemas("main", null)) {
        assertFalse(rs.next(), "main is not readable, so it has no schemas to show");
      }
      int tables = 0;
      try (ResultSet rs = meta.getTables(null, null, "%", null)) {
        while (rs.next()) {
          assertTrue(rs.getString("TABLE_CAT").startsWith("dev_"), rs.getString("TABLE_CAT"));
          tables++;
        }
      }
      assertTrue(tables > 0);
      try (ResultSet rs = meta.getTables("main", null, "%", null)) {
        assertFalse(rs.next());
      }
    }
    try (Connection c = connect("dev", PASSWORD); Statement s = c.createStatement()) {
      s.execute("USE BRANCH dev_a");
      Set<String> listed = new TreeSet<>();
      try (ResultSet rs = s.executeQuery("SHOW BRANCHES")) {
        while (rs.next()) {
          listed.add(rs.getString("name"));
        }
      }
      assertTrue(listed.stream().allMatch(name -> name.startsWith("dev_")), listed.toString());
      SQLException log = assertThrows(SQLException.class, () -> s.executeQuery("SHOW LOG main").close());
      assertTrue(log.getMessage().contains("user dev lacks READ on branch main"), log.getMessage());
    }
  }

  @Test
  void grantsUsersTokensAndProtectionsSurviveARestart(@TempDir Path warehouse) throws Exception {
    ServerConfig config = ServerConfig.local(warehouse).withCredentials(new Credentials(ADMIN, ADMIN_PASSWORD));
    String secret;
    try (TarnServer first = TarnServer.start(config)) {
      try (Connection admin = DriverManager.getConnection(first.jdbcUrl(), props(ADMIN, ADMIN_PASSWORD));
          Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE t (x INTEGER)");
        s.execute("CREATE USER ana PASSWORD '" + PASSWORD + "'");
        s.execute("GRANT READ ON BRANCH 'main' TO USER ana");
        s.execute("PROTECT BRANCH main");
        try (ResultSet rs = s.executeQuery("CREATE TOKEN ana_ci FOR USER ana")) {
          assertTrue(rs.next());
          secret = rs.getString("secret");
        }
      }
    }
    try (TarnServer second = TarnServer.start(config.withPort(0))) {
      try (Connection ana = DriverManager.getConnection(second.jdbcUrl(), props("ana", PASSWORD));
          Statement s = ana.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
          assertTrue(rs.next());
        }
        SQLException write = assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (1)"));
        assertTrue(write.getMessage().contains("user ana lacks WRITE on branch main"), write.getMessage());
      }
      Properties token = new Properties();
      token.setProperty("token", secret);
      try (Connection ci = DriverManager.getConnection(second.jdbcUrl(), token); Statement s = ci.createStatement()) {
        s.executeQuery("SELECT count(*) FROM t").close();
      }
      try (Connection admin = DriverManager.getConnection(second.jdbcUrl(), props(ADMIN, ADMIN_PASSWORD));
          Statement s = admin.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute("INSERT INTO t VALUES (1)"));
        assertTrue(e.getMessage().contains("branch main is protected"), e.getMessage());
        try (ResultSet rs = s.executeQuery("SHOW GRANTS FOR USER ana")) {
          assertTrue(rs.next());
          assertEquals("READ", rs.getString("privilege"));
          assertEquals("BRANCH 'main'", rs.getString("on_references"));
          assertFalse(rs.next());
        }
      }
    }
  }

  /** An error's message with its causes' (the stock driver words a refused prepare as its own). */
  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // its credentials were revoked: the driver's goodbye call is refused too
    }
  }

  private static Properties props(String user, String password) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return p;
  }

  @Test
  void theAccessFileIsOutOfReachOfSql() throws SQLException {
    try (Connection admin = connect(ADMIN, ADMIN_PASSWORD); Statement s = admin.createStatement()) {
      String file = server.warehouse().resolve("access").resolve("access.json").toString();
      for (String sql : List.of("SELECT * FROM read_text('" + file + "')", "SELECT * FROM read_json('" + file + "')")) {
        try {
          s.executeQuery(sql).close();
          fail("read the access file: " + sql);
        } catch (SQLException expected) {
          // refused
        }
      }
    }
  }
}
