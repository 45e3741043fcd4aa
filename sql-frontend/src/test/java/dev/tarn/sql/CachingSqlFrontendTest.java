package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which parses are remembered, and that a remembered one is what the parser would say. */
class CachingSqlFrontendTest {

  /** The real frontend, counting the texts it was asked to parse. */
  private static final class Counting implements SqlFrontend {
    private final TarnSqlFrontend real = new TarnSqlFrontend();
    final List<String> parsed = new ArrayList<>();

    @Override
    public ParsedStatement parse(String sql) {
      parsed.add(sql);
      return real.parse(sql);
    }

    @Override
    public Optional<Explain> explain(String sql) {
      return real.explain(sql);
    }

    @Override
    public Optional<Set<String>> namesIn(String predicate) {
      return real.namesIn(predicate);
    }

    @Override
    public Optional<ScanConditions> conditionsOf(String predicate) {
      return real.conditionsOf(predicate);
    }

    @Override
    public List<String> splitScript(String script) {
      return real.splitScript(script);
    }

    @Override
    public boolean mayTakeParameters(String sql) {
      return real.mayTakeParameters(sql);
    }
  }

  private final Counting parser = new Counting();
  private final CachingSqlFrontend frontend = new CachingSqlFrontend(parser);

  @Test
  void aQueryOrRowWriteSentAgainIsParsedOnce() {
    String query = "SELECT o.id, sum(o.amount) FROM orders o WHERE o.day >= DATE '2026-01-01' GROUP BY o.id";
    ParsedStatement first = frontend.parse(query);
    assertSame(first, frontend.parse(query));
    assertEquals(new TarnSqlFrontend().parse(query), first);
    String insert = "INSERT INTO t VALUES (?, 'x')";
    assertSame(frontend.parse(insert), frontend.parse(insert));
    assertEquals(List.of(query, insert), parser.parsed);
  }

  @Test
  void textsThatDifferInAnyCharacterAreParsedEachOnTheirOwn() {
    ParsedStatement lower = frontend.parse("SELECT * FROM t");
    ParsedStatement upper = frontend.parse("SELECT * FROM T");
    ParsedStatement spaced = frontend.parse("SELECT *  FROM t");
    assertEquals("t", lower.tables().get(0).nameParts().get(0));
    assertEquals("T", upper.tables().get(0).nameParts().get(0));
    assertNotSame(lower, spaced);
    assertEquals(3, parser.parsed.size());
  }

  @Test
  void commandsDdlAndSessionStatementsAreNeverKept() {
    // their texts may hold a password or a token, which must not outlive the statement
    List<String> texts = List.of("CREATE USER bob PASSWORD 'hunter2'", "CREATE BRANCH dev FROM main",
        "CREATE TABLE t (a INT)", "SET threads = 1", "BEGIN");
    for (String text : texts) {
      frontend.parse(text);
      frontend.parse(text);
    }
    assertEquals(texts.size() * 2, parser.parsed.size());
  }

  @Test
  void aTextThatFailsIsParsedAgainAndFailsAgain() {
    String wrong = "CREATE BRANCH FROM";
    assertThrows(SqlSyntaxException.class, () -> frontend.parse(wrong));
    assertThrows(SqlSyntaxException.class, () -> frontend.parse(wrong));
    assertEquals(List.of(wrong, wrong), parser.parsed);
  }

  @Test
  void aVeryLongTextIsParsedEveryTime() {
    StringBuilder sql = new StringBuilder("SELECT 0");
    while (sql.length() <= CachingSqlFrontend.MAX_TEXT_CHARS) {
      sql.append(" + 1");
    }
    String text = sql.toString();
    assertEquals(frontend.parse(text), frontend.parse(text));
    assertEquals(2, parser.parsed.size());
  }
}
