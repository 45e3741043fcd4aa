package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.server.ServerConfig.Credentials;
import dev.tarn.core.auth.LoginLimits;
import dev.tarn.core.session.SessionLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session limits, failed-login throttling and port errors, through the stock Flight SQL JDBC driver. */
class SessionsAndLoginsTest {

  private static Properties login(String user, String password) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return properties;
  }

  /** Creates an API token for the user admin; returns its secret. */
  private static String createToken(Statement admin, String name) throws SQLException {
    try (ResultSet rs = admin.executeQuery("CREATE TOKEN " + name + " FOR USER admin")) {
      assertTrue(rs.next());
      return rs.getString(3);
    }
  }

  /**
   * As admin: creates table {@code t} on main, branches {@code a} and {@code b} from it, and an API
   * token named {@code name}; returns the token's secret.
   */
  private static String tokenOverTwoBranches(RunningServer server, String a, String b, String name)
      throws SQLException {
    try (Connection admin = server.connect(login("admin", "s3cret")); Statement s = admin.createStatement()) {
      s.execute("CREATE TABLE t (x INTEGER)");
      s.execute("CREATE BRANCH " + a + " FROM main");
      s.execute("CREATE BRANCH " + b + " FROM main");
      return createToken(s, name);
    }
  }

  /** The connection properties of a client using an API token, starting on {@code branch} when given. */
  private static Properties token(String secret, String branch) {
    Properties properties = new Properties();
    properties.setProperty("token", secret);
    if (branch != null) {
      properties.setProperty("branch", branch);
    }
    return properties;
  }

  private static long selectOne(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  /**
   * CloseSession closes a session only its caller holds: an API token's session is every client's of
   * the token, so one client closing must not roll back another's transaction.
   */
  @Test
  void anApiTokensSharedSessionIsNotClosedByOneOfItsClients() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret")))) {
      String secret;
      try (Connection admin = server.connect(login("admin", "s3cret")); Statement s = admin.createStatement()) {
        s.execute("CREATE TABLE shared_t (x INTEGER)");
        secret = createToken(s, "closer");
      }
      try (Connection job = server.connect(token(secret, null)); Statement s = job.createStatement();
          BufferAllocator allocator = new RootAllocator();
          FlightClient flight = FlightClient.builder(allocator,
              Location.forGrpcInsecure("127.0.0.1", server.port())).build()) {
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO shared_t VALUES (1)");
        CallHeaders headers = new FlightCallHeaders();
        headers.insert("authorization", "Bearer " + secret);
        var result = new FlightSqlClient(flight).closeSession(
            new CloseSessionRequest(), new HeaderCallOption(headers));
        assertEquals(CloseSessionResult.Status.NOT_CLOSABLE, result.getStatus());
        s.execute("COMMIT");
      }
      try (Connection admin = server.connect(login("admin", "s3cret"))) {
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM shared_t"), "the transaction outlived the other client's close");
      }
    }
  }

  /**
   * The clients of one API token share its session. While one holds a transaction open and has gone
   * quiet (a job killed outright), another's calls naming another branch are refused: they must not
   * count as use, or the abandoned transaction would never time out and the other would wait forever.
   */
  @Test
  void refusedCallsDoNotKeepASharedSessionsAbandonedTransactionAlive() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret"))
        .withSessionLimits(new SessionLimits(1000, 200, Duration.ofSeconds(2))))) {
      String secret = tokenOverTwoBranches(server, "q_a", "q_b", "quiet");
      Properties onA = token(secret, "q_a");
      Properties onB = token(secret, "q_b");
      try (Connection quiet = server.connect(onA); Statement a = quiet.createStatement();
          Connection waiting = server.connect(onB); Statement b = waiting.createStatement()) {
        a.execute("BEGIN");
        a.executeUpdate("INSERT INTO t VALUES (1)");
        int refused = 0;
        boolean through = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!through && System.nanoTime() < deadline) {
          try {
            b.executeUpdate("INSERT INTO t VALUES (2)");
            through = true;
          } catch (SQLException e) {
            assertTrue(e.getMessage().contains("transaction open on q_a"), e.getMessage());
            refused++;
            Thread.sleep(300);
          }
        }
        assertTrue(refused > 0, "refused while the transaction was open");
        assertTrue(through, "the abandoned transaction timed out although the other client kept calling");
      }
      try (Connection admin = server.connect(login("admin", "s3cret"))) {
        assertEquals(0, selectOne(admin, "SELECT count(*) FROM q_a.public.t"), "the abandoned transaction rolled back");
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM q_b.public.t"));
      }
    }
  }

  @Test
  void failedLoginsFromOneAddressAreThrottledEvenWithTheRightPassword() throws SQLException {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("analyst", "s3cret"))
        .withLoginLimits(new LoginLimits(3, 100, Duration.ofMinutes(1))))) {
      for (int i = 0; i < 3; i++) {
        SQLException wrong = assertThrows(SQLException.class,
            () -> server.connect(login("analyst", "guess")).close());
        assertTrue(wrong.getMessage().contains("wrong user name or password"), wrong.getMessage());
      }
      SQLException throttled = assertThrows(SQLException.class,
          () -> server.connect(login("analyst", "s3cret")).close());
      assertTrue(throttled.getMessage().contains("too many failed logins from 127.0.0.1"), throttled.getMessage());
      assertTrue(throttled.getMessage().contains("--max-failed-logins"), throttled.getMessage());
      assertTrue(throttled.getMessage().contains("try again in"), throttled.getMessage());
    }
  }

  @Test
  void failedLoginsForOneUserAreThrottledAndOtherUsersAreNot() throws SQLException {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("analyst", "s3cret"))
        .withLoginLimits(new LoginLimits(100, 2, Duration.ofMinutes(1))))) {
      for (String guess : new String[] {"guess1", "guess2"}) {
        assertThrows(SQLException.class, () -> server.connect(login("analyst", guess)).close());
      }
      SQLException throttled = assertThrows(SQLException.class,
          () -> server.connect(login("analyst", "s3cret")).close());
      assertTrue(throttled.getMessage().contains("for user 'analyst'"), throttled.getMessage());
      assertTrue(throttled.getMessage().contains("--max-failed-logins-per-user"), throttled.getMessage());
      // a user name with control characters is counted and reported without them
      SQLException odd = assertThrows(SQLException.class,
          () -> server.connect(login("eve\u0000\u202e", "x")).close());
      assertTrue(odd.getMessage().contains("wrong user name or password"), odd.getMessage());
    }
  }

  @Test
  void theFailedLoginWindowEnds() throws Exception {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("analyst", "s3cret"))
        .withLoginLimits(new LoginLimits(1, 100, Duration.ofSeconds(1))))) {
      assertThrows(SQLException.class, () -> server.connect(login("analyst", "guess")).close());
      assertThrows(SQLException.class, () -> server.connect(login("analyst", "s3cret")).close());
      Thread.sleep(1500);
      try (Connection c = server.connect(login("analyst", "s3cret"))) {
        assertEquals(7, selectOne(c, "SELECT 7"));
      }
    }
  }

  @Test
  void sessionsHoldingStatePastThePerUserLimitAreRefusedNamingTheFlagUntilIdleOnesEnd() throws Exception {
    try (RunningServer server = RunningServer.start(
        c -> c.withSessionLimits(new SessionLimits(10, 2, Duration.ofSeconds(2))))) {
      Connection first = server.connect();
      try (Connection second = server.connect()) {
        // a transaction and a temporary table: state the clients would miss, so these sessions stay
        try (Statement s = first.createStatement()) {
          s.execute("BEGIN");
        }
        try (Statement s = second.createStatement()) {
          s.execute("CREATE TEMP TABLE mine AS SELECT 1 AS x");
        }
        for (Connection c : new Connection[] {first, second}) {
          selectOne(c, "SELECT 1");
        }
        try (Connection third = server.connect()) {
          SQLException refused = assertThrows(SQLException.class, () -> {
            selectOne(third, "SELECT 1");
            selectOne(third, "SELECT 1");
          });
          assertTrue(refused.getMessage().contains("--max-sessions-per-user"), refused.getMessage());
          assertTrue(refused.getMessage().contains("holds state"), refused.getMessage());
        }
        assertEquals(1, selectOne(second, "SELECT x FROM mine"));
        first.close(); // the driver does not always end its session: idle sessions end after the timeout
        Thread.sleep(3500);
        try (Connection fourth = server.connect()) {
          assertEquals(2, selectOne(fourth, "SELECT 2"));
          assertEquals(3, selectOne(fourth, "SELECT 3"));
        }
      }
    }
  }

  @Test
  void sessionsHoldingNothingAreRecycledAndAnOpenTransactionSurvives() throws Exception {
    try (RunningServer server = RunningServer.start(
        c -> c.withSessionLimits(new SessionLimits(1000, 3, Duration.ofMinutes(30))))) {
      try (Connection setup = server.connect(); Statement s = setup.createStatement()) {
        s.execute("CREATE TABLE kept (v INTEGER)");
      }
      try (Connection owner = server.connect(); Statement tx = owner.createStatement()) {
        tx.execute("BEGIN");
        tx.execute("INSERT INTO kept VALUES (7)");
        // many more clients than the limit, each with a session of its own that holds nothing
        java.util.List<Connection> others = new java.util.ArrayList<>();
        try {
          for (int i = 0; i < 20; i++) {
            Connection other = server.connect();
            others.add(other);
            assertEquals(i, selectOne(other, "SELECT " + i));
            assertEquals(i, selectOne(other, "SELECT " + i));
          }
          // a recycled client simply gets a fresh session
          for (Connection other : others) {
            assertEquals(0, selectOne(other, "SELECT count(*) FROM kept"));
          }
        } finally {
          for (Connection other : others) {
            other.close();
          }
        }
        assertTrue(server.server().sessions().recycled() > 0, "sessions were recycled");
        assertEquals(7, selectOne(owner, "SELECT sum(v) FROM kept"));
        tx.execute("COMMIT");
      }
      try (Connection reader = server.connect()) {
        assertEquals(7, selectOne(reader, "SELECT sum(v) FROM kept"));
      }
    }
  }

  @Test
  void aSessionWhoseClientAbandonedAResultMidStreamIsRecycledLater() throws Exception {
    try (RunningServer server = RunningServer.start(
        c -> c.withSessionLimits(new SessionLimits(1000, 2, Duration.ofMinutes(30))))) {
      for (int i = 0; i < 2; i++) { // the limit: the next session needs one of these recycled
        try (Connection abandoning = server.connect(); Statement s = abandoning.createStatement()) {
          assertEquals(1, selectOne(abandoning, "SELECT 1"));
          // far more rows than one message: closing after the first cancels the stream
          try (ResultSet rs = s.executeQuery("SELECT range AS n FROM range(50000000)")) {
            assertTrue(rs.next());
          }
        }
      }
      // the cancelled calls ended, so those sessions hold nothing and make room
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        try (Connection fresh = server.connect()) {
          // the first statement runs on a session of its own; the second comes back with the cookie
          assertEquals(5, selectOne(fresh, "SELECT 5"));
          assertEquals(6, selectOne(fresh, "SELECT 6"));
          break;
        } catch (SQLException e) {
          // the server learns of a cancel asynchronously; the limit is only wrong if it never does
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
  }

  @Test
  void aResultCutShortByShutdownSaysSoAndNotThatTheClientCancelled() throws Exception {
    RunningServer server = RunningServer.start();
    Thread closing = new Thread(server::close);
    Connection c = server.connect();
    try {
      ResultSet rs = c.createStatement().executeQuery("SELECT range AS n FROM range(100000000000)");
      assertTrue(rs.next());
      closing.start();
      // the stock driver throws its Flight exception unwrapped from next()
      Exception e = assertThrows(Exception.class, () -> {
        while (rs.next()) {
          // the client keeps reading until the server stops the result
        }
      });
      assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
      assertFalse(e.getMessage().contains("cancelled"), e.getMessage());
    } finally {
      try {
        c.close();
      } catch (SQLException gone) {
        // the server is gone; the result's error above is what this test is about
      }
      if (closing.getState() == Thread.State.NEW) {
        server.close();
      }
      closing.join(60_000);
    }
  }

  @Test
  void theJdbcDriversFirstStatementMayChangeTheSession() throws SQLException {
    try (RunningServer server = RunningServer.start()) {
      try (Connection setup = server.connect(); Statement s = setup.createStatement()) {
        s.execute("CREATE SCHEMA sales");
        s.execute("CREATE TABLE sales.orders (id INTEGER)");
        s.execute("INSERT INTO sales.orders VALUES (1), (2)");
      }
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        s.execute("USE sales"); // the driver sends no cookie with its very first call
        assertEquals(2, selectOne(c, "SELECT count(*) FROM orders"));
        s.execute("CREATE TEMP TABLE scratch AS SELECT 9 AS x");
        assertEquals(9, selectOne(c, "SELECT x FROM scratch"));
      }
    }
  }

  /**
   * The branch property picks the branch a session starts on. The stock driver sends it as a header
   * with every call: repeating it must not undo what USE BRANCH or BEGIN did since, or a transaction's
   * statements would land on the branch one by one.
   */
  @Test
  void theBranchPropertyPicksTheStartAndLeavesUseAndTransactionsInForce() throws SQLException {
    try (RunningServer server = RunningServer.start()) {
      try (Connection setup = server.connect(); Statement s = setup.createStatement()) {
        s.execute("CREATE TABLE t (x INTEGER)");
        s.execute("CREATE BRANCH dev FROM main");
      }
      Properties onDev = new Properties();
      onDev.setProperty("branch", "dev");
      try (Connection c = server.connect(onDev); Statement s = c.createStatement();
          Connection other = server.connect(); Statement o = other.createStatement()) {
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO t VALUES (1)");
        s.executeUpdate("INSERT INTO t VALUES (2)");
        assertEquals(2, selectOne(c, "SELECT count(*) FROM t"), "the transaction reads its own writes");
        assertEquals(0, selectOne(other, "SELECT count(*) FROM dev.public.t"), "nobody else sees them yet");
        s.execute("ROLLBACK");
        assertEquals(0, selectOne(c, "SELECT count(*) FROM t"), "rolled back: dev is unchanged");
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO t VALUES (3)");
        s.execute("COMMIT");
        assertEquals(1, selectOne(other, "SELECT count(*) FROM dev.public.t"), "committed on dev");
        s.execute("USE BRANCH main");
        assertEquals(0, selectOne(c, "SELECT count(*) FROM t"), "USE BRANCH main holds over the dev header");
        // a transaction begun after USE, on another branch than the header's, ends normally
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO t VALUES (4)");
        s.executeUpdate("INSERT INTO main.public.t VALUES (5)");
        assertEquals(2, selectOne(c, "SELECT count(*) FROM main.public.t"), "a three-part name of the target reads"
            + " the transaction");
        assertEquals(0, selectOne(other, "SELECT count(*) FROM main.public.t"), "nobody else sees it yet");
        s.execute("COMMIT");
        assertEquals(2, selectOne(other, "SELECT count(*) FROM main.public.t"), "committed on main");
      }
    }
  }

  /**
   * A token's session is shared by every client using the token: each client's first call moves it to
   * the branch that client names, and a transaction is neither left nor entered by a header naming
   * another branch.
   */
  @Test
  void aTokensClientsEachStartOnTheirBranchAndTransactionsStayWholeAndPrivate() throws SQLException {
    try (RunningServer server = RunningServer.start(c -> c.withCredentials(new Credentials("admin", "s3cret")))) {
      String secret = tokenOverTwoBranches(server, "x_a", "x_b", "job");
      Properties onA = token(secret, "x_a");
      try (Connection first = server.connect(onA); Statement s = first.createStatement()) {
        s.execute("USE BRANCH x_b");
        s.executeUpdate("INSERT INTO t VALUES (1)");
      }
      try (Connection second = server.connect(onA); Statement s = second.createStatement();
          Connection admin = server.connect(login("admin", "s3cret")); Statement a = admin.createStatement()) {
        s.executeUpdate("INSERT INTO t VALUES (2)");
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM x_b.public.t"), "USE BRANCH x_b held within its client");
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM x_a.public.t"), "a new client starts on its branch");
        s.execute("BEGIN");
        s.executeUpdate("INSERT INTO t VALUES (3)");
        s.executeUpdate("INSERT INTO x_a.public.t VALUES (4)");
        SQLException outside = assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO x_b.public.t VALUES (5)"));
        assertTrue(outside.getMessage().contains("inside a transaction, writes go to the branch it commits into, x_a"),
            outside.getMessage());
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM x_a.public.t"), "nothing is seen before COMMIT");
        assertEquals(3, selectOne(second, "SELECT count(*) FROM t"), "the transaction reads its own writes");

        Properties onB = token(secret, "x_b");
        for (Properties client : List.of(onB)) {
          // another client of the token naming another branch is not let into the transaction
          try (Connection other = server.connect(client); Statement o = other.createStatement()) {
            SQLException busy = assertThrows(SQLException.class, () -> o.executeUpdate("INSERT INTO t VALUES (7)"));
            assertTrue(busy.getMessage().contains("transaction open on x_a"), busy.getMessage());
            SQLException again = assertThrows(SQLException.class, () -> o.executeUpdate("INSERT INTO t VALUES (7)"));
            assertTrue(again.getMessage().contains("transaction open on x_a"), again.getMessage());
          }
        }
        String privateBranch = null;
        try (ResultSet rs = a.executeQuery("SHOW SESSIONS")) {
          while (rs.next()) {
            if (rs.getString("reference").startsWith("tarn_tx_")) {
              privateBranch = rs.getString("reference").split(" ")[0];
            }
          }
        }
        assertTrue(privateBranch != null, "SHOW SESSIONS names the transaction's branch");
        Properties intruder = login("admin", "s3cret");
        intruder.setProperty("branch", privateBranch);
        try (Connection other = server.connect(intruder); Statement o = other.createStatement()) {
          SQLException hidden = assertThrows(SQLException.class, () -> o.executeUpdate("INSERT INTO t VALUES (6)"));
          assertTrue(hidden.getMessage().contains("reference " + privateBranch + " does not exist"), hidden.getMessage());
        }
        s.execute("ROLLBACK");
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM x_a.public.t"), "ROLLBACK discarded both rows");
        a.execute("CREATE BRANCH x_c FROM main");
        try (Connection third = server.connect(onB); Statement o = third.createStatement()) {
          o.execute("USE BRANCH x_c");
          o.executeUpdate("INSERT INTO t VALUES (8)");
          o.executeUpdate("INSERT INTO t VALUES (9)");
        }
        assertEquals(2, selectOne(admin, "SELECT count(*) FROM x_c.public.t"), "a new client's USE BRANCH held");
        assertEquals(1, selectOne(admin, "SELECT count(*) FROM x_b.public.t"));
      }
    }
  }

  @Test
  void aTakenMetricsPortIsNamedWithItsFlag(@TempDir Path warehouse) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      IOException e = assertThrows(IOException.class,
          () -> TarnServer.start(ServerConfig.local(warehouse).withMetricsPort(port)).close());
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertTrue(e.getMessage().contains("--metrics-port"), e.getMessage());
      assertTrue(e.getMessage().contains("metrics"), e.getMessage());
    }
    // the failed start released everything: the same warehouse serves right after
    try (TarnServer server = TarnServer.start(ServerConfig.local(warehouse))) {
      assertTrue(server.port() > 0);
    }
  }

  @Test
  void aTakenFlightPortIsNamedWithItsFlag(@TempDir Path warehouse) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      IOException e = assertThrows(IOException.class,
          () -> TarnServer.start(ServerConfig.local(warehouse).withPort(port)).close());
      assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
      assertTrue(e.getMessage().contains("--port"), e.getMessage());
      assertTrue(!e.getMessage().contains("--metrics-port"), e.getMessage());
    }
  }
}
