package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeadingKeywordTest {
  private final TarnSqlFrontend frontend = new TarnSqlFrontend();

  @Test
  void firstWordAfterCommentsAndParentheses() {
    assertEquals("SELECT", frontend.parse("  -- note\n /* block */ ((select 1))").leadingKeyword());
    assertEquals("COPY", frontend.parse("/* x */ copy t TO 'f.csv'").leadingKeyword());
    assertEquals("BEGIN", frontend.parse("begin transaction").leadingKeyword());
    assertEquals("USE", frontend.parse("USE sales").leadingKeyword());
  }

  @Test
  void showTablesIsKnownByItsFirstTwoWords() {
    assertTrue(frontend.parse("SHOW TABLES").isShowTables());
    assertTrue(frontend.parse(" /* list */ show\n -- here\n tables FROM sales -- end").isShowTables());
    assertFalse(frontend.parse("SHOW ALL TABLES").isShowTables());
    assertFalse(frontend.parse("SHOW \"TABLES\"").isShowTables(), "a quoted name is no keyword");
    assertFalse(frontend.parse("SHOW sales.t").isShowTables());
    assertFalse(frontend.parse("DESCRIBE").isShowTables());
    assertFalse(frontend.parse("SELECT * FROM (SHOW TABLES)").isShowTables());
    assertFalse(frontend.parse("SHOW").isShowTables());
    assertTrue(frontend.parse("SHOW TABLES FROM \"Sales 🚀\";").isShowTables());
    assertFalse(frontend.parse("SHOW TABLES IN sales").isShowTables(), "DuckDB does not know IN there");
    assertTrue(frontend.parse("SHOW TABLES FROM dev.sales").isShowTables());
    assertFalse(frontend.parse("SHOW TABLES FROM sales, other").isShowTables());
    assertFalse(frontend.parse("SHOW TABLES FROM (SELECT 1)").isShowTables());
    assertFalse(frontend.parse("SHOW TABLES FROM a.b.c").isShowTables());
    assertFalse(frontend.parse("(SHOW TABLES)").isShowTables());
    assertFalse(frontend.parse("SHOW TABLES" + ";".repeat(20) + "SELECT 1").isShowTables(), "read whole, or not at all");
  }

  /** Empty statements before a statement are skipped, as DuckDB skips them; its table names keep their places. */
  @Test
  void emptyStatementsBeforeAStatementAreSkipped() {
    ParsedStatement parsed = frontend.parse(" ;; ; SELECT * FROM sales.t ;;");
    assertEquals(StatementKind.QUERY, parsed.kind());
    TableReference table = parsed.tables().get(0);
    assertEquals("sales.t", parsed.sql().substring(table.position().startIndex(parsed.sql()),
        table.position().endIndex(parsed.sql())));
  }
}
