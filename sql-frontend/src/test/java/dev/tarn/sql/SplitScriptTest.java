package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SplitScriptTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  @Test
  void splitsOnTopLevelSemicolons() {
    assertEquals(List.of("SELECT 1", "SELECT 2"), FRONTEND.splitScript("SELECT 1; SELECT 2;"));
    assertEquals(List.of("SELECT 1", "SELECT 2"), FRONTEND.splitScript("SELECT 1;\n\nSELECT 2"));
  }

  @Test
  void dropsEmptyPieces() {
    assertEquals(List.of("SELECT 1"), FRONTEND.splitScript(";; SELECT 1 ;;\n ; -- done\n /* really */ ;"));
    assertEquals(List.of(), FRONTEND.splitScript("  "));
    assertEquals(List.of(), FRONTEND.splitScript(""));
  }

  @Test
  void respectsQuotes() {
    assertEquals(List.of("SELECT 'a;b', 'it''s;'", "SELECT \"col;1\", \"x\"\";\" FROM t"),
        FRONTEND.splitScript("SELECT 'a;b', 'it''s;'; SELECT \"col;1\", \"x\"\";\" FROM t;"));
    assertEquals(List.of("SELECT E'it\\'s;'", "SELECT 2"), FRONTEND.splitScript("SELECT E'it\\'s;'; SELECT 2"));
  }

  @Test
  void respectsComments() {
    assertEquals(List.of("SELECT 1 -- one; still a comment\n+ 1", "/* a; b /* nested; */ c; */ SELECT 2"),
        FRONTEND.splitScript("SELECT 1 -- one; still a comment\n+ 1; /* a; b /* nested; */ c; */ SELECT 2;"));
  }

  @Test
  void respectsDollarQuotes() {
    assertEquals(List.of("CREATE FUNCTION f() AS $$ SELECT 1; $$", "SELECT $tag$ ; $$ ; $tag$", "SELECT $1"),
        FRONTEND.splitScript("CREATE FUNCTION f() AS $$ SELECT 1; $$; SELECT $tag$ ; $$ ; $tag$; SELECT $1;"));
  }

  @Test
  void unterminatedQuoteRunsToTheEnd() {
    assertEquals(List.of("SELECT 1", "SELECT 'oops; SELECT 2;"), FRONTEND.splitScript("SELECT 1; SELECT 'oops; SELECT 2;"));
  }

  @Test
  void multiLineScript() {
    String script = "CREATE BRANCH dev;\nUSE BRANCH dev;\nINSERT INTO t\n  VALUES (1);\n-- the end\n";
    List<String> statements = FRONTEND.splitScript(script);
    assertEquals(List.of("CREATE BRANCH dev", "USE BRANCH dev", "INSERT INTO t\n  VALUES (1)"), statements);
    assertEquals(List.of(StatementKind.TARN_COMMAND, StatementKind.TARN_COMMAND, StatementKind.DML),
        statements.stream().map(s -> FRONTEND.parse(s).kind()).toList());
  }

  /** A script's statements' first words as the server reads them (tarn sql tells a BEGIN by it). */
  @Test
  void leadingKeywordsAreReadPastWhatDuckDbSkips() {
    for (String begin : List.of("BEGIN", " -- x\n /* a /* nested */ b */ begin transaction", "\uFEFFBEGIN",
        "\u00a0\u200b(BEGIN)", "\u001cBEGIN")) {
      assertEquals("BEGIN", SqlScripts.leadingKeyword(begin), begin);
      assertEquals(FRONTEND.parse(begin).leadingKeyword(), SqlScripts.leadingKeyword(begin), "as the server reads " + begin);
    }
    assertEquals("", SqlScripts.leadingKeyword("-- BEGIN"));
    assertEquals("BEGINNING", SqlScripts.leadingKeyword("BEGINNING"));
    assertEquals("BEGIN_LOAD", SqlScripts.leadingKeyword("BEGIN_LOAD"));
    assertEquals("", SqlScripts.leadingKeyword("'BEGIN'"));
  }
}
