package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Tarn commands written wrongly fail with Calcite's position and a short message. */
class SyntaxErrorTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  private static SqlSyntaxException error(String sql) {
    return assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse(sql));
  }

  @Test
  void missingName() {
    SqlSyntaxException e = error("CREATE BRANCH");
    assertEquals(SqlPosition.at(1, 13), e.position());
    assertEquals("Syntax error at line 1, column 13: Encountered \"<EOF>\". Was expecting identifier.",
        e.getMessage());
  }

  @Test
  void wrongTokenOnALaterLine() {
    SqlSyntaxException e = error("CREATE BRANCH dev\n  FROM main\n  AT COMMIT abc");
    assertEquals(3, e.position().line());
    assertEquals(13, e.position().column());
    assertEquals("Syntax error at line 3, column 13: Encountered \"abc\". Was expecting string literal.",
        e.getMessage());
  }

  @Test
  void pipelinePathMustBeAString() {
    SqlSyntaxException e = error("RUN PIPELINE my_project");
    assertEquals(SqlPosition.at(1, 14).line(), e.position().line());
    assertEquals(14, e.position().column());
  }

  @Test
  void longExpectationListsAreLeftOut() {
    SqlSyntaxException e = error("SHOW LOG dev banana");
    assertEquals(1, e.position().line());
    assertEquals(14, e.position().column());
    assertEquals("Syntax error at line 1, column 14: Encountered \"banana\". "
        + "Was expecting one of: \"IN\", \"LIMIT\", end of statement.", e.getMessage());
  }

  @Test
  void tarnRulesReportTheirOwnMessage() {
    SqlSyntaxException e = error("RUN PIPELINE 'p' WITH (a = 1, a = 2)");
    assertEquals(SqlPosition.at(1, 31).column(), e.position().column());
    assertEquals("Syntax error at line 1, column 31: option 'a' is given twice", e.getMessage());

    assertEquals("Syntax error at line 1, column 16: SHOW LOG LIMIT must be a positive integer",
        error("SHOW LOG LIMIT 0").getMessage());
    assertEquals("Syntax error at line 1, column 1: CREATE OR REPLACE is not supported for branches and tags",
        error("CREATE OR REPLACE BRANCH x").getMessage().replaceFirst("column \\d+", "column 1"));
  }

  @Test
  void everyTarnLeadIsChecked() {
    for (String sql : new String[] {
        "CREATE TAG", "DROP BRANCH", "DROP TAG IF", "USE BRANCH", "USE TAG 'x'", "USE REFERENCE",
        "MERGE BRANCH", "MERGE BRANCH a INTO", "ALTER BRANCH main", "ALTER BRANCH main ASSIGN dev",
        "ASSIGN BRANCH main dev", "SHOW BRANCHES x", "SHOW TAGS x", "SHOW TAGS ALL", "SHOW BRANCHES ALL x", "SHOW REFERENCES x", "SHOW LOG LIMIT",
        "SHOW LOGS 1", "SHOW DIFF", "SHOW RUNS x", "SHOW RUN", "SHOW RUN 5", "LIST REFERENCES x",
        "RUN PIPELINE", "RUN PIPELINE 'p' ON dev", "RUN PIPELINE 'p' WITH (x)", "RUN PIPELINE 'p' WITH (x = y)",
        "CREATE BRANCH b FROM", "CREATE BRANCH b AT main"}) {
      SqlSyntaxException e = error(sql);
      assertEquals(1, e.position().line(), sql);
    }
  }

  @Test
  void aReservedWordWhereANameBelongs() {
    SqlSyntaxException e = error("CREATE BRANCH select");
    assertEquals(new SqlPosition(1, 15, 1, 20), e.position());
    assertEquals("Syntax error at line 1, column 15: Encountered \"select\". Was expecting identifier.",
        e.getMessage());
  }

  @Test
  void shortExpectationListsAreNamed() {
    assertEquals("Syntax error at line 1, column 28: Encountered \"<EOF>\". "
        + "Was expecting one of: \")\", \",\".", error("RUN PIPELINE 'p' WITH (a = 1").getMessage());
  }

  @Test
  void emptyStatements() {
    assertEquals("Syntax error at line 1, column 1: empty statement", error("").getMessage());
    assertEquals("Syntax error at line 1, column 1: empty statement", error("   \n\t ").getMessage());
    assertEquals("Syntax error at line 1, column 1: empty statement", error("-- nothing\n/* at all */ ;").getMessage());
  }

  @Test
  void duckdbStatementsAreNotErrors() {
    // Tarn's leading words only: anything else is DuckDB's to judge.
    assertEquals(StatementKind.OTHER, FRONTEND.parse("SELEKT 1").kind());
    assertEquals(StatementKind.QUERY, FRONTEND.parse("SHOW ALL TABLES").kind());
    assertEquals(StatementKind.SESSION, FRONTEND.parse("USE memory.main").kind());
    assertEquals(StatementKind.DDL, FRONTEND.parse("CREATE TABLE branch (x INT").kind());
  }
}
