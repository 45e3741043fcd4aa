package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class StatementLimitsTest {
  private static final int MAX_BYTES = 1000;
  private static final int MAX_DEPTH = 20;
  private static final SqlFrontend FRONTEND =
      new TarnSqlFrontend(new StatementLimits(MAX_BYTES, MAX_DEPTH, Duration.ofMinutes(1)));

  private static String nestedSubqueries(int depth) {
    return "SELECT * FROM (".repeat(depth) + "SELECT 1 AS x" + ")".repeat(depth);
  }

  private static int depth(String sql) {
    return NestingDepth.of(SqlScanner.tokens(sql), Integer.MAX_VALUE);
  }

  @Test
  void aStatementOfExactlyTheMaximumSizeParsesOneByteMoreIsRefused() {
    String atLimit = "SELECT '" + "x".repeat(MAX_BYTES - "SELECT ''".length()) + "'";
    assertEquals(MAX_BYTES, atLimit.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(StatementKind.QUERY, FRONTEND.parse(atLimit).kind());

    String over = atLimit + " ";
    StatementLimitException e = assertThrows(StatementLimitException.class, () -> FRONTEND.parse(over));
    assertEquals(StatementLimitException.Limit.STATEMENT_BYTES, e.limit());
    assertTrue(e.getMessage().contains("limit of 1000 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("--max-statement-bytes"), e.getMessage());
    assertThrows(StatementLimitException.class, () -> FRONTEND.splitScript(over));
  }

  @Test
  void sizeIsCountedInUtf8BytesNotCharacters() {
    // 'é' is two bytes, '😀' four (two chars): 400 characters of each are over 1000 bytes
    assertThrows(StatementLimitException.class, () -> FRONTEND.parse("SELECT '" + "é".repeat(500) + "'"));
    assertThrows(StatementLimitException.class, () -> FRONTEND.parse("SELECT '" + "😀".repeat(250) + "'"));
    assertEquals(StatementKind.QUERY, FRONTEND.parse("SELECT '" + "😀".repeat(247) + "'").kind());
    assertEquals(4 * 247 + 9, StatementLimits.utf8Length("SELECT '" + "😀".repeat(247) + "'", Long.MAX_VALUE));
    // a lone surrogate is counted generously, never under
    assertEquals(3, StatementLimits.utf8Length("\uD800", Long.MAX_VALUE));
  }

  @Test
  void nestingAtTheLimitParsesOneLevelDeeperIsRefused() {
    assertEquals(StatementKind.QUERY, FRONTEND.parse(nestedSubqueries(MAX_DEPTH)).kind());
    StatementLimitException e =
        assertThrows(StatementLimitException.class, () -> FRONTEND.parse(nestedSubqueries(MAX_DEPTH + 1)));
    assertEquals(StatementLimitException.Limit.NESTING_DEPTH, e.limit());
    assertEquals(MAX_DEPTH + 1, e.value());
    assertTrue(e.getMessage().contains("limit of 20 levels") && e.getMessage().contains("--max-nesting-depth"),
        e.getMessage());
    assertThrows(StatementLimitException.class, () -> FRONTEND.splitScript(nestedSubqueries(MAX_DEPTH + 1)));
  }

  @Test
  void nestingCountsParenthesesBracketsBracesCaseAndChainedSetOperations() {
    assertEquals(0, depth("SELECT 1, 2 FROM t WHERE a = 1 AND b = 2"));
    assertEquals(1, depth("SELECT * FROM (SELECT 1)"));
    assertEquals(2, depth("SELECT [[1, 2], [3]], {'a': {'b': 1}}, ((1))"));
    assertEquals(3, depth("SELECT [{'a': (1)}]"));
    assertEquals(2, depth("SELECT CASE WHEN a THEN CASE WHEN b THEN 1 END ELSE 2 END"));
    assertEquals(3, depth("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 EXCEPT SELECT 4"));
    assertEquals(2, depth("SELECT * FROM (SELECT 1 UNION SELECT 2) UNION (SELECT 3)"));
    // quotes and comments never count, nor do closers without an opener
    assertEquals(0, depth("SELECT '((((', \"[[\", $$ CASE $$ -- ((((\n /* (( */ FROM t"));
    assertEquals(1, depth("SELECT ) ] } END (1)"));
    // each statement of a script starts flat again
    assertEquals(1, depth("SELECT 1 UNION SELECT 2; SELECT 3 UNION SELECT 4;"));
  }

  @Test
  void longFlatExpressionsSkipCalcitesGrammarsInsteadOfTakingMinutes() {
    SqlFrontend frontend = new TarnSqlFrontend();
    String sum = "SELECT 1" + "+1".repeat(170_000); // 340 KB: about two minutes in Calcite's precedence parser
    long start = System.nanoTime();
    ParsedStatement parsed = frontend.parse(sum);
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    assertEquals(StatementKind.QUERY, parsed.kind());
    assertFalse(parsed.parsedByCalcite());

    String ors = "SELECT * FROM t WHERE " + String.join(" OR ", Collections.nCopies(200, "a = 1"));
    assertFalse(frontend.parse(ors).parsedByCalcite());
    String shortOrs = "SELECT * FROM t WHERE " + String.join(" OR ", Collections.nCopies(100, "a = 1"));
    assertTrue(frontend.parse(shortOrs).parsedByCalcite());
    // many short expressions are fine: each run is counted from its comma
    String wide = "SELECT " + String.join(", ", Collections.nCopies(2_000, "a + b * c - d"));
    assertTrue(frontend.parse(wide).parsedByCalcite());
  }

  @Test
  void aParseThatOutlivesTheTimeLimitStopsWithATimeoutError() {
    SqlFrontend impatient = new TarnSqlFrontend(new StatementLimits(16 << 20,
        StatementLimits.DEFAULT_MAX_NESTING_DEPTH, Duration.ofMillis(50)));
    // 8 MiB of expressions, which Calcite parses at a few hundred KB a second: tens of seconds in
    // full. The bound below leaves room for a loaded machine and still shows the parse was cut short.
    String large = "SELECT " + String.join(", ", Collections.nCopies(20_000, "1" + "+1".repeat(200)));
    long start = System.nanoTime();
    ParseTimeoutException e = assertThrows(ParseTimeoutException.class, () -> impatient.parse(large));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 8_000, "the parse went on for " + millis + " ms after its 50 ms limit");
    assertTrue(e.getMessage().contains("50 ms") && e.getMessage().contains("--query-timeout"), e.getMessage());
    // Tarn's commands are held to the deadline too (here one that has passed before parsing starts)
    SqlFrontend outOfTime = new TarnSqlFrontend(new StatementLimits(StatementLimits.DEFAULT_MAX_STATEMENT_BYTES,
        StatementLimits.DEFAULT_MAX_NESTING_DEPTH, Duration.ofNanos(1)));
    assertThrows(ParseTimeoutException.class, () -> outOfTime.parse("SHOW BRANCHES"));
    assertThrows(ParseTimeoutException.class, () -> outOfTime.parse("SELECT 1"));
  }

  @Test
  void limitsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new StatementLimits(0, 10, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new StatementLimits(10, 0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new StatementLimits(10, 10, Duration.ZERO));
  }
}
