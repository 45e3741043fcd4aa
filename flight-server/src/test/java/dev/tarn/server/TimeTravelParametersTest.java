package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Time travel with statement parameters through the stock Flight SQL JDBC driver: {@code AT TIMESTAMP ?},
 * {@code FOR SYSTEM_TIME AS OF ?} and {@code AT COMMIT ?}, among ordinary parameters.
 */
class TimeTravelParametersTest {
  private RunningServer server;
  private Connection c;
  /** The commit holding rows 1 and 2, and the later one that added row 3. */
  private String first;
  private String second;
  /** A moment between the two commits. */
  private Instant between;

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start();
    c = server.connect();
    run("CREATE SCHEMA sales");
    run("CREATE TABLE sales.t (id BIGINT, name VARCHAR)");
    run("INSERT INTO sales.t VALUES (1, 'a'), (2, 'b')");
    Thread.sleep(200);
    run("INSERT INTO sales.t VALUES (3, 'c')");
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW LOG main LIMIT 2")) {
      assertTrue(rs.next());
      second = rs.getString("commit_hash");
      Instant secondAt = rs.getTimestamp("committed_at").toInstant();
      assertTrue(rs.next());
      first = rs.getString("commit_hash");
      Instant firstAt = rs.getTimestamp("committed_at").toInstant();
      between = firstAt.plus(Duration.between(firstAt, secondAt).dividedBy(2));
    }
  }

  @AfterEach
  void stop() throws SQLException {
    c.close();
    server.close();
  }

  private void run(String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * The messages of what {@code call} threw, causes included. The JDBC driver reports errors of a
   * prepared statement's execution as a FlightRuntimeException, not an SQLException.
   */
  private static String failure(Executable call) {
    Exception e = assertThrows(Exception.class, call);
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }

  private static List<String> ids(PreparedStatement ps) throws SQLException {
    return column(ps.executeQuery(), "id");
  }

  @Test
  void atTimestampReadsTheCommitOfThatMomentAmongOtherParameters() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sales.t AT TIMESTAMP ? WHERE id > ? ORDER BY id")) {
      ParameterMetaData meta = ps.getParameterMetaData();
      assertEquals(2, meta.getParameterCount(), "the time-travel parameter is announced at its place");
      assertEquals(Types.TIMESTAMP, meta.getParameterType(1));
      assertEquals(Types.BIGINT, meta.getParameterType(2));
      ps.setTimestamp(1, Timestamp.from(between));
      ps.setLong(2, 1);
      assertEquals(List.of("2"), ids(ps), "as of a moment between the commits: rows 1 and 2 only");
      ps.setTimestamp(1, Timestamp.from(Instant.now().plusSeconds(60)));
      ps.setLong(2, 1);
      assertEquals(List.of("2", "3"), ids(ps), "the same statement with another moment reads another commit");
    }
  }

  @Test
  void forSystemTimeAsOfTakesAParameterBetweenOthers() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT ? AS label, id FROM sales.t FOR SYSTEM_TIME AS OF ? WHERE id >= ? ORDER BY id")) {
      assertEquals(3, ps.getParameterMetaData().getParameterCount());
      assertEquals(Types.TIMESTAMP, ps.getParameterMetaData().getParameterType(2));
      ps.setString(1, "then");
      ps.setTimestamp(2, Timestamp.from(between));
      ps.setLong(3, 2);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("then", rs.getString("label"));
        assertEquals(2, rs.getLong("id"));
        assertTrue(!rs.next(), "row 3 came later");
      }
    }
  }

  @Test
  void atCommitTakesAHashOrPrefixOnTwoAndThreePartNames() throws SQLException {
    run("CREATE BRANCH dev");
    run("INSERT INTO dev.sales.t VALUES (4, 'd')");
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT a.id FROM sales.t AT COMMIT ? a JOIN dev.sales.t AT TIMESTAMP ? b ON a.id = b.id WHERE a.id < ?"
            + " ORDER BY a.id")) {
      assertEquals(Types.VARCHAR, ps.getParameterMetaData().getParameterType(1));
      ps.setString(1, first.substring(0, 12));
      ps.setTimestamp(2, Timestamp.from(Instant.now().plusSeconds(60)));
      ps.setLong(3, 10);
      assertEquals(List.of("1", "2"), ids(ps), "main at the first commit joined with dev's head");
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM dev.sales.t AT COMMIT ? ORDER BY id")) {
      ps.setString(1, second);
      assertEquals(List.of("1", "2", "3"), ids(ps), "dev read at main's commit it was branched from");
    }
  }

  @Test
  void theSameTextWithoutTimeTravelKeepsItsOwnParameters() throws SQLException {
    // Both texts bind to the same view text at describe time; each keeps its own parameter list.
    try (PreparedStatement plain = c.prepareStatement("SELECT id FROM sales.t WHERE id > ? ORDER BY id");
        PreparedStatement travelled = c.prepareStatement(
            "SELECT id FROM sales.t AT TIMESTAMP ? WHERE id > ? ORDER BY id")) {
      assertEquals(1, plain.getParameterMetaData().getParameterCount());
      assertEquals(2, travelled.getParameterMetaData().getParameterCount());
      plain.setLong(1, 0);
      assertEquals(List.of("1", "2", "3"), ids(plain));
      travelled.setTimestamp(1, Timestamp.from(between));
      travelled.setLong(2, 0);
      assertEquals(List.of("1", "2"), ids(travelled));
    }
  }

  @Test
  void badValuesAreNamedAndTheConnectionKeepsServing() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sales.t AT COMMIT ? WHERE id > ?")) {
      ps.setString(1, "deadbeefdeadbeef");
      ps.setLong(2, 0);
      String unknown = failure(() -> ids(ps));
      assertTrue(unknown.contains("deadbeefdeadbeef"), unknown);

      ps.setString(1, "not a hash; DROP TABLE sales.t");
      String notHex = failure(() -> ids(ps));
      assertTrue(notHex.contains("not a hash; DROP TABLE sales.t"), notHex);

      ps.setString(1, "ab".repeat(100_000));
      String huge = failure(() -> ids(ps));
      assertTrue(huge.contains("parameter 1 (AT COMMIT ?)"), huge);
      assertTrue(huge.length() < 2_000, "the error does not echo a huge value");

      ps.setNull(1, Types.VARCHAR);
      String nullValue = failure(() -> ids(ps));
      assertTrue(nullValue.contains("parameter 1 (AT COMMIT ?) is NULL"), nullValue);

      ps.setString(1, first);
      ps.setLong(2, 0);
      assertEquals(2, ids(ps).size(), "the prepared statement still runs with a good value");
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM sales.t AT TIMESTAMP ?")) {
      ps.setTimestamp(1, Timestamp.from(Instant.parse("2001-01-01T00:00:00Z")));
      String before = failure(() -> ids(ps));
      assertTrue(before.contains("2001-01-01"), before);
    }
    try (Statement s = c.createStatement()) {
      assertEquals(List.of("3"), column(s.executeQuery("SELECT count(*) FROM sales.t"), 1));
    }
  }

  @Test
  void timeTravelParametersAreRefusedWhereTheyCannotWork() throws SQLException {
    String write = failure(() -> c.prepareStatement("INSERT INTO sales.t SELECT * FROM sales.t AT COMMIT ?"));
    assertTrue(write.contains("works in queries"), write);
    String createAs = failure(() -> c.prepareStatement("CREATE TABLE sales.copy AS SELECT * FROM sales.t AT TIMESTAMP ?"));
    assertTrue(createAs.contains("works in queries"), createAs);
    String numbered = failure(() -> c.prepareStatement("SELECT id FROM sales.t AT COMMIT ? WHERE id > $1"));
    assertTrue(numbered.contains("cannot be mixed"), numbered);
    String expression = failure(
        () -> c.prepareStatement("SELECT id FROM sales.t FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP"));
    assertTrue(expression.contains("FOR SYSTEM_TIME AS OF takes a timestamp literal"),
        expression);
    try (Statement s = c.createStatement()) {
      String unbound = failure(() -> s.executeQuery("SELECT id FROM sales.t AT TIMESTAMP ?"));
      assertTrue(unbound.contains("1 parameter(s) but 0 value(s)"), unbound);
      assertEquals(List.of("3"), column(s.executeQuery("SELECT count(*) FROM sales.t"), 1));
    }
  }

  @Test
  void aPointWhoseSchemaDiffersReturnsThatPointsColumns() throws SQLException {
    run("ALTER TABLE sales.t ADD COLUMN score DOUBLE");
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM sales.t AT COMMIT ? ORDER BY id")) {
      assertEquals(3, ps.getMetaData().getColumnCount(), "described at the head: id, name, score");
      ps.setString(1, first);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(2, rs.getMetaData().getColumnCount(), "the result has the columns of the commit read");
        assertTrue(rs.next());
        assertEquals(1, rs.getLong("id"));
      }
    }
  }

  @Test
  void aTableDroppedSinceIsNamedWhenPrepared() throws SQLException {
    run("DROP TABLE sales.t");
    // described at the head, where the table is gone; the literal form still reads it
    String gone = failure(() -> c.prepareStatement("SELECT * FROM sales.t AT COMMIT ?"));
    assertTrue(gone.contains("sales.t does not exist"), gone);
    try (Statement s = c.createStatement()) {
      assertEquals(List.of("2"), column(s.executeQuery("SELECT count(*) FROM sales.t AT COMMIT '" + first + "'"), 1));
    }
  }
}
