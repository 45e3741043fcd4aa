package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tarn sql} prints the same whichever client runs it: the Go client ({@code cli/}) and the JVM
 * client get the same calls against one real server, and their exit codes, output and errors must be
 * equal, byte for byte.
 */
class ClientParityTest {
  /** Every type DuckDB sends, with the values whose text is easiest to get wrong. */
  private static final String EVERY_TYPE = """
      SELECT 1::TINYINT AS i1, -300::SMALLINT AS i2, -5::INTEGER AS i4, 9007199254740993::BIGINT AS i8,
        200::UTINYINT AS u1, 65000::USMALLINT AS u2, 4000000000::UINTEGER AS u4, 18446744073709551615::UBIGINT AS u8,
        170141183460469231731687303715884105727::HUGEINT AS huge,
        0.1::DOUBLE AS d1, 1e10::DOUBLE AS d2, 1e-5::DOUBLE AS d3, 123456.789::DOUBLE AS d4, -0.0::DOUBLE AS d5,
        0.1::DOUBLE + 0.2::DOUBLE AS d6, 1e7::DOUBLE AS d7, 9999999::DOUBLE AS d8, 0.001::DOUBLE AS d9,
        2e23::DOUBLE AS d10, 2.82879384806159E17::DOUBLE AS d11, 1.17549435E-38::FLOAT AS f3, 33554450::FLOAT AS f4,
        [2e23::DOUBLE] AS dl, union_value(s := 'x')::UNION(k INTEGER, s VARCHAR) AS un, TIME '24:00:00' AS t24,
        'NaN'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, '-inf'::DOUBLE AS ninf, 0.1::REAL AS f1, 3.4e38::REAL AS f2,
        123.45::DECIMAL(10,2) AS dec1, 0.0000001::DECIMAL(18,9) AS dec2, -12345678901234567890.123::DECIMAL(38,3) AS dec3,
        0::DECIMAL(5,2) AS dec0, -0.000001::DECIMAL(9,6) AS dec4,
        DATE '2024-01-02' AS dt, DATE '0005-03-04' AS dt_small, DATE '10000-01-01' AS dt_big,
        TIME '12:00:00' AS t0, TIME '12:00:01' AS t1, TIME '12:00:00.5' AS t2, TIME '01:02:03.123456' AS t3,
        TIMESTAMP '2024-01-02 03:04:00' AS ts0, TIMESTAMP '2024-01-02 03:04:05.123456' AS ts1,
        TIMESTAMP_S '2024-01-02 03:04:05' AS ts_s, TIMESTAMP_MS '2024-01-02 03:04:05.5' AS ts_ms,
        TIMESTAMP_NS '2024-01-02 03:04:05.123456789' AS ts_ns, TIMESTAMP '1969-12-31 23:59:59.25' AS ts_neg,
        TIMESTAMPTZ '2024-01-02 03:04:00+00' AS tz0, TIMESTAMPTZ '1969-12-31 23:59:59.999+00' AS tz1,
        INTERVAL '14 months 3 days 1 hour 2 minutes 3.5 seconds' AS iv, -INTERVAL '1.5 seconds' AS iv2,
        INTERVAL '0 seconds' AS iv0, -INTERVAL '2 hours' AS iv3,
        '\\x01\\xAB'::BLOB AS b, ''::BLOB AS b0, true AS yes, false AS no, NULL AS nothing, NULL::INTEGER AS null_int,
        [1, 2, NULL] AS l, [[1.5], []] AS ll, {'a': 1, 'b': 'x,y', 'c': [true]} AS s, MAP {'k': 1.0, 'j': NULL} AS m,
        [{'x': 'ü'}] AS ls, '12345678-1234-5678-1234-567812345678'::UUID AS id""";

  /** Text whose quoting, escaping and width differ between writers. */
  private static final String AWKWARD_TEXT = """
      SELECT 'ü😀' AS "naïve", '' AS empty, ' lead' AS lead, 'trail ' AS trail, '#hash' AS hash, '!bang' AS bang,
        'tab' || chr(9) || 'x' AS tabbed, 'two' || chr(10) || 'lines' AS nl, 'cr' || chr(13) AS cr,
        'say "hi", ok' AS quoted, chr(7) || 'bell' AS ctrl, '<a&b>' AS html, chr(8232) AS line_separator,
        '\\' AS backslash, 'a' || chr(160) AS nbsp, '日本語' AS wide, 'x' AS " ", NULL AS "NULL", 1 AS "a,b"
      """;

  private static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start();
    assertEquals(0, Cli.tarn("sql", "--url", url(), "-e", """
        CREATE TABLE parity_rows (id INTEGER, name VARCHAR);
        INSERT INTO parity_rows VALUES (1, 'one'), (2, NULL), (3, ''), (4, 'four, with a comma')""").exit());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void goClientBuilt() {
    ClientProcess.assumeGoClientBuilt();
  }

  private static String url() {
    return "grpc://127.0.0.1:" + server.port();
  }

  /** Runs {@code tarn sql --url URL args} on both clients and requires the same outcome. */
  private static Cli.Outcome same(String... args) {
    List<String> call = new ArrayList<>(List.of("sql", "--url", url()));
    call.addAll(List.of(args));
    String[] arguments = call.toArray(new String[0]);
    Cli.Outcome jvm = Cli.tarn(arguments);
    Cli.Outcome go = ClientProcess.go(arguments);
    ClientProcess.assertSameOutcome(call, jvm, go, text -> text, ClientProcess::withoutServerLog);
    return go;
  }

  @Test
  void everyTypePrintsTheSameInEveryFormat() {
    for (String format : List.of("table", "csv", "json")) {
      Cli.Outcome outcome = same("--format", format, "-e", EVERY_TYPE);
      assertEquals(0, outcome.exit(), outcome.err());
    }
  }

  @Test
  void awkwardTextPrintsTheSameInEveryFormat() {
    for (String format : List.of("table", "csv", "json")) {
      Cli.Outcome outcome = same("--format", format, "-e", AWKWARD_TEXT);
      assertEquals(0, outcome.exit(), outcome.err());
    }
  }

  @Test
  void rowsNullsEmptyResultsAndManyBatchesPrintTheSame() {
    for (String format : List.of("table", "csv", "json")) {
      same("--format", format, "-e", "SELECT * FROM parity_rows ORDER BY id");
      same("--format", format, "-e", "SELECT * FROM parity_rows WHERE id > 100");
      same("--format", format, "-e", "SELECT name, count(*) AS n FROM parity_rows GROUP BY name ORDER BY name NULLS FIRST");
    }
    Cli.Outcome large = same("--format", "csv", "-e",
        "SELECT i, i * 0.5 AS half, 'row ' || i AS label FROM range(200000) t(i) ORDER BY i");
    assertEquals(200_002, large.out().split("\n", -1).length, "a header, 200,000 rows and the last line break");
  }

  @Test
  void aScriptWithCommandsWritesAndCommentsRunsTheSame() {
    Cli.Outcome outcome = same("-e", """
        -- a comment; with a semicolon
        CREATE TABLE parity_script (x INTEGER, note VARCHAR);
        INSERT INTO parity_script VALUES (1, 'a;b'), (2, $$c;d$$);
        /* nested /* ; */ comment */ SELECT * FROM parity_script ORDER BY x;
        SHOW TABLES;
        DROP TABLE parity_script;
        """);
    assertEquals(0, outcome.exit(), outcome.err());
    assertTrue(outcome.out().contains("a;b") && outcome.out().contains("c;d"), outcome.out());
  }

  @Test
  void theFirstFailingStatementStopsBothWithTheSameMessage() {
    Cli.Outcome failed = same("-e", "SELECT 1; SELECT nope\nFROM parity_rows; SELECT 3");
    assertEquals(1, failed.exit());
    assertTrue(failed.err().startsWith("error in statement 2 of 3:\n  SELECT nope\n  FROM parity_rows\nINVALID_ARGUMENT: "),
        failed.err());
    same("-e", "SELECT * FROM parity_never_created");
    same("-e", "CREATE BRANCH \"\"");
    same("--branch", "no_such_branch", "-e", "SELECT * FROM parity_rows");
  }

  @Test
  void aBranchHeaderReachesTheServerFromBoth() {
    assertEquals(0, Cli.tarn("sql", "--url", url(), "-e", "CREATE BRANCH parity_dev FROM main").exit());
    Cli.Outcome write = ClientProcess.go("sql", "--url", url(), "--branch", "parity_dev", "-e",
        "INSERT INTO parity_rows VALUES (5, 'only on parity_dev')");
    assertEquals(0, write.exit(), write.err());
    Cli.Outcome onDev = same("--branch", "parity_dev", "--format", "csv", "-e", "SELECT count(*) AS n FROM parity_rows");
    assertEquals("n\n5\n", onDev.out());
    assertEquals("n\n4\n", same("--format", "csv", "-e", "SELECT count(*) AS n FROM parity_rows").out());
  }

  /** A transaction a script began never outlives the run: both clients roll it back, say so, and exit 1. */
  @Test
  void aTransactionAScriptLeavesOpenIsRolledBackByBoth() {
    assertEquals(0, Cli.tarn("sql", "--url", url(), "-e", "CREATE TABLE parity_tx (x INTEGER)").exit());
    Cli.Outcome failed = same("-e", "BEGIN; INSERT INTO parity_tx VALUES (1); SELECT nope FROM parity_tx");
    assertEquals(1, failed.exit());
    assertTrue(failed.err().endsWith("tarn sql: the transaction the script began was rolled back\n"), failed.err());
    Cli.Outcome unended = same("-e", "/* load */ begin; INSERT INTO parity_tx VALUES (2)");
    assertEquals(1, unended.exit());
    assertTrue(unended.err().contains("the script ended inside a transaction, which was rolled back"), unended.err());
    Cli.Outcome committed = same("-e", "BEGIN; INSERT INTO parity_tx VALUES (3); COMMIT; SELECT 1 AS done");
    assertEquals(0, committed.exit(), committed.err());
    assertEquals("n\n2\n", same("--format", "csv", "-e", "SELECT count(*) AS n FROM parity_tx").out(),
        "only the committed runs' rows, one per client");
  }

  /** A client stopped by SIGTERM (a CI job cancelled) cancels its statement and rolls back its transaction. */
  @Test
  void aStoppedScriptCancelsItsStatementAndRollsBackItsTransaction() throws Exception {
    ClientProcess.assumeGoClientBuilt();
    assertEquals(0, Cli.tarn("sql", "--url", url(), "-e", "CREATE TABLE parity_stopped (x INTEGER)").exit());
    String[] args = {"sql", "--url", url(), "-e",
        "BEGIN; INSERT INTO parity_stopped VALUES (1); SELECT count(*) FROM range(100000000000) stopped_here"};
    try (Connection watcher = server.connect(); Statement s = watcher.createStatement()) {
      BooleanSupplier running = () -> {
        try (ResultSet rs = s.executeQuery("SHOW QUERIES")) {
          while (rs.next()) {
            if (rs.getString("statement").contains("stopped_here")) {
              return true;
            }
          }
          return false;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      };
      for (List<String> client : List.of(ClientProcess.goCommand(args), ClientProcess.jvmCommand(args))) {
        Cli.Outcome stopped = ClientProcess.stopped(client, running);
        assertEquals(143, stopped.exit(), stopped.toString());
        assertEquals("tarn sql: the transaction the script began was rolled back\n"
            + "tarn sql: interrupted in statement 3 of 3\n", ClientProcess.withoutServerLog(stopped.err()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running.getAsBoolean() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertFalse(running.getAsBoolean(), "the statement was cancelled with its call");
        try (ResultSet rs = s.executeQuery("SHOW SESSIONS")) {
          while (rs.next()) {
            assertFalse(rs.getBoolean("in_transaction"), "no session holds the transaction");
          }
        }
      }
    }
    assertEquals("n\n0\n", same("--format", "csv", "-e", "SELECT count(*) AS n FROM parity_stopped").out());
  }

  @Test
  void scriptsThatCannotBeReadAreRefusedAlike(@TempDir Path dir) throws Exception {
    same("-f", dir.resolve("missing.sql").toString());
    same("-f", dir.toString());
    Path latin1 = dir.resolve("latin1.sql");
    Files.write(latin1, "SELECT 'caf\u00e9'".getBytes(StandardCharsets.ISO_8859_1));
    same("-f", latin1.toString());
    Path script = dir.resolve("script.sql");
    Files.writeString(script, "\uFEFFSELECT 'from a file' AS source;\r\nSELECT 2 AS two;\r\n");
    assertEquals(0, same("-f", script.toString()).exit());
    same("-e", "-- nothing but a comment");
  }

  @Test
  void optionMistakesAreRefusedByBoth() {
    // the messages differ (picocli's usage text against one line); the exit code and the refusal do not
    for (List<String> mistake : List.<List<String>>of(List.of("-e", "SELECT 1 AS a", "-e", "SELECT 2 AS b"),
        List.of("-e", "SELECT 1", "--format", "xml"), List.of("--fromat", "csv", "-e", "SELECT 1"),
        List.of("-e", "SELECT 1", "-f", "x.sql"), List.of(), List.of("-e", "SELECT 1", "extra"))) {
      List<String> call = new ArrayList<>(List.of("sql", "--url", url()));
      call.addAll(mistake);
      Cli.Outcome jvm = Cli.tarn(call.toArray(new String[0]));
      Cli.Outcome go = ClientProcess.go(call.toArray(new String[0]));
      assertEquals(2, jvm.exit(), () -> call + ": " + jvm);
      assertEquals(2, go.exit(), () -> call + ": " + go);
      assertEquals("", go.out(), "nothing ran");
    }
  }

  @Test
  void aUserNameForAServerWithoutPasswordsIsNoError() {
    assertEquals("x\n1\n", same("--user", "someone", "--format", "csv", "-e", "SELECT 1 AS x").out());
  }

  @Test
  void anUnreachableServerFailsBothTheSameWay() {
    Cli.Outcome jvm = Cli.tarn("sql", "--url", "grpc://127.0.0.1:1", "-e", "SELECT 1");
    Cli.Outcome go = ClientProcess.go("sql", "--url", "grpc://127.0.0.1:1", "-e", "SELECT 1");
    assertEquals(1, jvm.exit());
    assertEquals(1, go.exit());
    String expected = "error in statement 1 of 1:\n  SELECT 1\nUNAVAILABLE: ";
    assertTrue(jvm.err().startsWith(expected), jvm.err());
    assertTrue(go.err().startsWith(expected), go.err());
  }
}
