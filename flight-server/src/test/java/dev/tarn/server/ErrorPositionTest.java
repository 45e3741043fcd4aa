package dev.tarn.server;

import static dev.tarn.server.JdbcClientTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An error DuckDB places in a statement's text is placed in the text the client sent, not in the
 * one Tarn had DuckDB run, whose table names are views of a commit and whose writes are composed.
 */
class ErrorPositionTest {
  private static RunningServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = RunningServer.start();
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE t (id INTEGER, v VARCHAR)");
      s.executeUpdate("INSERT INTO t VALUES (1, 'a')");
      // the last row comes long after the first batch of rows
      s.executeUpdate("CREATE TABLE numbers AS SELECT range::VARCHAR AS s FROM range(300000)"
          + " UNION ALL SELECT 'seven'");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String error(String sql) {
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      // the stock driver throws an error of a later batch unchecked, from ResultSet.next
      Exception e = assertThrows(Exception.class, () -> {
        try (ResultSet rs = s.executeQuery(sql)) {
          while (rs.next()) {
            rs.getObject(1);
          }
        }
      }, sql);
      assertEquals(List.of("1"), column(s.executeQuery("SELECT 1"), 1), "the connection keeps serving");
      return e.getMessage();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The message ends with the place of {@code what}'s first character in {@code sql}. */
  private static void assertPlaced(String sql, int line, String what) {
    String message = error(sql);
    int column = sql.split("\n")[line - 1].indexOf(what) + 1;
    assertTrue(message.contains("(at line " + line + ", column " + column + ")"), sql + ": " + message);
  }

  @Test
  void aValueThatDoesNotConvertIsPlacedWhereTheClientWroteIt() {
    assertPlaced("SELECT v FROM t WHERE id = 'abc'", 1, "'abc'");
    assertPlaced("SELECT x.v\nFROM t AS x JOIN t AS y ON x.id = y.id\n  WHERE x.id = 'abc' AND y.v = 'a'", 3, "'abc'");
    assertPlaced("SELECT * FROM (SELECT * FROM t) WHERE id = 'q'", 1, "'q'");
    assertPlaced("SELECT 'üéß', v FROM t WHERE id = 'zz'", 1, "'zz'");
    assertPlaced("SELECT CAST(3000000000 AS INTEGER)", 1, "CAST"); // DuckDB's place for a cast: its start
    // empty statements, blanks and comments before it, and comments Calcite alone would read otherwise, move nothing
    assertPlaced(";; SELECT v FROM t WHERE id = 'abc'", 1, "'abc'");
    assertPlaced(";;SELECT v,\nid FROM t WHERE id = 'abc'", 2, "'abc'");
    assertPlaced("  SELECT v,\nid FROM t WHERE id = 'abc'", 2, "'abc'");
    assertPlaced("\n  SELECT v,\n  id FROM t WHERE id = 'abc'", 3, "'abc'");
    assertPlaced("/* why */ SELECT v FROM t WHERE id = 'abc'", 1, "'abc'");
    assertPlaced("-- why\nSELECT v FROM t WHERE id = 'abc'", 2, "'abc'");
    assertPlaced("SELECT v,\n      v FROM t WHERE 1 = 1 AND 2 = 2 AND 3 = 3 AND 4 = 4 AND v = 'a' AND id = 'abc'", 2, "'abc'");
    assertPlaced(";;  SELECT v,\n  v FROM t WHERE 1 = 1 AND 2 = 2 AND 3 = 3 AND 4 = 4 AND v = 'a' AND id = 'abc'", 2,
        "'abc'");
    assertPlaced("SELECT v /* a /* b */ */ FROM t WHERE 4 // 2 = 2 AND id = 'abc'", 1, "'abc'");
  }

  @Test
  void aSyntaxErrorOnlyDuckDbFindsIsPlacedToo() {
    // Calcite reads the ODBC escape; DuckDB does not, and says so about the text Tarn rewrote
    String sql = "SELECT v FROM t WHERE {fn ABS(id)} = 1";
    String message = error(sql);
    assertTrue(message.contains("Syntax error at line 1, column " + (sql.indexOf("ABS") + 1) + ":"), message);
    String accents = "SELECT 'éééé', v FROM t WHERE id = 1 FOR UPDATE"; // DuckDB counts bytes
    assertTrue(error(accents).contains("Syntax error at line 1, column " + (accents.indexOf("FOR") + 1) + ":"),
        error(accents));
  }

  @Test
  void aPlaceTarnCannotTellIsLeftOut() {
    // DuckDB's caret counts a tab as nothing and a CJK character as two
    for (String sql : List.of("SELECT v FROM t\nWHERE\tid = 'abc'", "SELECT v FROM t WHERE v = '中文' OR id = 'abc'",
        "SELECT '→😀', v FROM t WHERE id = 'zz'")) {
      String message = error(sql);
      assertTrue(message.contains("Conversion Error"), message);
      assertFalse(message.contains("(at line"), sql + ": " + message);
    }
  }

  @Test
  void aValueThatFailsAfterManyRowsIsPlacedToo() {
    assertPlaced("SELECT s FROM numbers WHERE CAST(s AS INTEGER) >= 0", 1, "CAST");
  }

  @Test
  void aWriteTellsNoPlaceInTheTextTarnComposedForIt() {
    for (String write : List.of("INSERT INTO t SELECT 3000000000, 'x'", "UPDATE t SET id = 3000000000",
        "INSERT INTO t SELECT id, v FROM t WHERE id = 'abc'")) {
      String message = error(write);
      assertTrue(message.contains("Conversion Error"), write + ": " + message);
      assertFalse(message.contains("(at line"), write + ": " + message);
    }
    String syntax = error("INSERT INTO t SELECT id, v FROM t WHERE {fn ABS(id)} = 1");
    assertTrue(syntax.contains("Syntax error: syntax error at or near \"ABS\""), syntax);
  }
}
