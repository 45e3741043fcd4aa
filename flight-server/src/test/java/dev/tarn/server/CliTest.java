package dev.tarn.server;

import static dev.tarn.server.Cli.tarn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
    assertEquals("{\"id\":1}", json.out().strip());
  }

  /** JSON output is valid JSON whatever the values: NaN, infinities, quotes, line breaks, unicode, decimals. */
  @Test
  void jsonOutputIsValidJsonForEveryValue() throws Exception {
    Cli.Outcome json = tarn("sql", "--url", url(), "--format", "json", "-e",
        "SELECT 'NaN'::DOUBLE AS nan, '-inf'::DOUBLE AS neg, 1.25::DECIMAL(10, 2) AS d, 'é \"q\" ' || chr(10) AS s,"
            + " NULL AS n, true AS b, 9007199254740993::BIGINT AS big");
    assertEquals(0, json.exit(), json.err());
    com.fasterxml.jackson.databind.JsonNode row = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(json.out().strip());
    assertEquals("NaN", row.get("nan").asText());
    assertEquals("-Infinity", row.get("neg").asText());
    assertEquals(new java.math.BigDecimal("1.25"), row.get("d").decimalValue());
    assertEquals("é \"q\" \n", row.get("s").asText());
    assertTrue(row.get("n").isNull());
    assertTrue(row.get("b").asBoolean());
    assertEquals(9007199254740993L, row.get("big").asLong());
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
}
