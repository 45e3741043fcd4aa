package dev.tarn.server;

import static dev.tarn.server.Cli.tarn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tarn sql} as a CI job runs it: a script, results printed, the first failure stops it. */
class CliTest {
  private static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private String url() {
    return "grpc://127.0.0.1:" + server.port();
  }

  @Test
  void runsAScriptAndPrintsResults(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("check.sql");
    Files.writeString(script, """
        -- a CI check
        CREATE TABLE cli_t (id INTEGER, name VARCHAR);
        INSERT INTO cli_t VALUES (1, 'one'), (2, 'two; with a semicolon');
        SELECT id, name FROM cli_t ORDER BY id;
        """);
    Cli.Outcome table = tarn("sql", "--url", url(), "-f", script.toString());
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().contains("two; with a semicolon"), table.out());
    assertTrue(table.out().contains("(2 rows)"), table.out());

    Cli.Outcome csv = tarn("sql", "--url", url(), "--format", "csv", "-e", "SELECT id, name FROM cli_t ORDER BY id");
    assertEquals("id,name\n1,one\n2,two; with a semicolon\n", csv.out().replace("\r", ""));

    Cli.Outcome json = tarn("sql", "--url", url(), "--format", "json", "-e", "SELECT id FROM cli_t WHERE id = 1");
    assertEquals("{\"id\": 1}", json.out().strip());
  }

  @Test
  void jsonOutputIsValidJsonForNonFiniteNestedAndUnicodeValues() throws Exception {
    Cli.Outcome json = tarn("sql", "--url", url(), "--format", "json", "-e", """
        SELECT 1 AS id, 'nan'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, '-inf'::FLOAT AS ninf,
               [1.5, 'nan'::DOUBLE, NULL] AS list,
               {'name': 'café "q" 漢字 😀', 'tags': ['back\\slash', 'line' || chr(10) || 'break' || chr(1)],
                'at': TIMESTAMPTZ '2024-01-02 03:04:05+00'} AS struct,
               MAP {'k': 2} AS map, 18446744073709551615::UBIGINT AS big, DATE '2024-01-02' AS day,
               NULL::INTEGER AS nothing
        UNION ALL
        SELECT 2, 0.25, 1, -1, [], NULL, NULL, 0, NULL, 7
        ORDER BY id
        """);
    assertEquals(0, json.exit(), json.err());
    // a strict parser: bare NaN or Infinity, or two values on a line, would fail here
    ObjectMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    List<String> lines = json.out().lines().toList();
    assertEquals(2, lines.size(), json.out());
    JsonNode first = strict.readTree(lines.get(0));
    assertEquals(1, first.get("id").asInt());
    assertTrue(first.get("nan").isTextual() && first.get("nan").asText().equals("NaN"), lines.get(0));
    assertEquals("Infinity", first.get("inf").textValue());
    assertEquals("-Infinity", first.get("ninf").textValue());
    assertEquals(strict.readTree("[1.5, \"NaN\", null]"), first.get("list"));
    JsonNode struct = first.get("struct");
    assertEquals("café \"q\" 漢字 😀", struct.get("name").textValue());
    assertEquals(strict.readTree("[\"back\\\\slash\", \"line\\nbreak\\u0001\"]"), struct.get("tags"));
    assertEquals("2024-01-02T03:04:05Z", struct.get("at").textValue());
    assertEquals(strict.readTree("[{\"key\": \"k\", \"value\": 2}]"), first.get("map"));
    assertEquals(new BigInteger("18446744073709551615"), first.get("big").bigIntegerValue());
    assertEquals("2024-01-02", first.get("day").textValue());
    assertTrue(first.get("nothing").isNull());
    JsonNode second = strict.readTree(lines.get(1));
    assertEquals(0.25, second.get("nan").doubleValue());
    assertEquals(0, second.get("list").size());
    assertTrue(second.get("struct").isNull());
    assertEquals(7, second.get("nothing").asInt());
  }

  @Test
  void csvOutputQuotesWhatNeedsQuoting() {
    Cli.Outcome csv = tarn("sql", "--url", url(), "--format", "csv", "-e",
        "SELECT 'a,b' AS \"x,1\", 'say \"hi\"' AS y, 'two' || chr(10) || 'lines' AS z, NULL AS n, [1, 2] AS l, 'plain' AS p");
    assertEquals(0, csv.exit(), csv.err());
    assertEquals("\"x,1\",y,z,n,l,p\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\"[1,2]\",plain\n", csv.out());
  }

  @Test
  void stopsAtTheFirstFailingStatementWithANonZeroExit() {
    Cli.Outcome run = tarn("sql", "--url", url(), "-e",
        "CREATE TABLE cli_fail (x INTEGER); SELECT nope FROM cli_fail; CREATE TABLE cli_never (x INTEGER)");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("statement 2 of 3"), run.err());
    assertTrue(run.err().contains("SELECT nope FROM cli_fail"), run.err());
    assertTrue(run.err().contains("nope"), run.err());
    Cli.Outcome check = tarn("sql", "--url", url(), "-e", "SELECT * FROM cli_never");
    assertEquals(1, check.exit(), "statements after the failure never ran");
    assertTrue(check.err().contains("cli_never"), check.err());
  }

  @Test
  void helpListsEveryCommandWhileACallBuildsOnlyTheOneItNames() {
    Cli.Outcome help = tarn("--help");
    assertEquals(0, help.exit(), help.err());
    for (String command : List.of("serve", "sql", "run", "mcp", "help")) {
      assertTrue(help.out().contains("  " + command + " "), command + " missing from:\n" + help.out());
    }
    Cli.Outcome sqlHelp = tarn("help", "sql");
    assertTrue(sqlHelp.out().contains("--format"), sqlHelp.out());
    Cli.Outcome typo = tarn("sqll", "-e", "SELECT 1");
    assertEquals(2, typo.exit());
    assertTrue(typo.err().contains("sqll"), typo.err());
    Cli.Outcome badOption = tarn("sql", "--url", url(), "--fromat", "csv", "-e", "SELECT 1");
    assertEquals(2, badOption.exit());
    assertTrue(badOption.err().contains("--fromat"), badOption.err());
  }

  /** The launcher keeps the class-data archive of a first call only if the call marked that it did its whole work. */
  @Test
  void onlyACallThatRanItsStatementsLeavesTheCompletedCallMark(@TempDir Path dir) {
    Path mark = dir.resolve("completed");
    System.setProperty("tarn.cli.completed-mark", mark.toString());
    try {
      assertEquals(0, tarn("sql", "--help").exit());
      assertEquals(0, tarn("sql", "-e", "-- only a comment", "--url", url()).exit());
      assertEquals(1, tarn("sql", "--url", url(), "-e", "SELECT nope_not_a_column").exit());
      assertTrue(Files.notExists(mark), "help, an empty script and a failed statement leave no mark");
      Cli.Outcome ran = tarn("sql", "--url", url(), "-e", "SELECT 1; SELECT 2");
      assertEquals(0, ran.exit(), ran.err());
      assertTrue(Files.exists(mark));
    } finally {
      System.clearProperty("tarn.cli.completed-mark");
    }
  }

  @Test
  void aScriptThatCannotBeReadIsNamedWithTheReasonAndNothingRuns(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.sql");
    Cli.Outcome none = tarn("sql", "--url", url(), "-f", missing.toString());
    assertEquals(2, none.exit());
    assertTrue(none.err().contains(missing.toString()) && none.err().contains("no such file"), none.err());

    Cli.Outcome folder = tarn("sql", "--url", url(), "-f", dir.toString());
    assertEquals(2, folder.exit());
    assertTrue(folder.err().contains("cannot read the script " + dir), folder.err());

    Path latin1 = dir.resolve("latin1.sql");
    Files.write(latin1, "CREATE TABLE cli_latin1 (x VARCHAR); INSERT INTO cli_latin1 VALUES ('caf\u00e9')"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Cli.Outcome notUtf8 = tarn("sql", "--url", url(), "-f", latin1.toString());
    assertEquals(2, notUtf8.exit());
    assertTrue(notUtf8.err().contains("not UTF-8"), notUtf8.err());
    Cli.Outcome check = tarn("sql", "--url", url(), "-e", "SELECT * FROM cli_latin1");
    assertEquals(1, check.exit(), "no statement of an unreadable script ran");
  }
}
