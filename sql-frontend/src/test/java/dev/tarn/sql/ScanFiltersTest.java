package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tarn.sql.ColumnFilter.Literal;
import dev.tarn.sql.ColumnFilter.Literal.Kind;
import dev.tarn.sql.ColumnFilter.Op;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScanFiltersTest {
  private final TarnSqlFrontend frontend = new TarnSqlFrontend();

  private TableReference only(String sql) {
    List<TableReference> tables = frontend.parse(sql).tables();
    assertEquals(1, tables.size(), tables.toString());
    return tables.get(0);
  }

  @Test
  void conjunctsOfTheOnlyTableBecomeFilters() {
    TableReference t = only("SELECT * FROM sales.t WHERE country = 'IT' AND 100 < id AND ts >= TIMESTAMP"
        + " '2023-01-01 00:00:00' AND day BETWEEN DATE '2023-01-01' AND DATE '2023-02-01' AND x IN (1, 2)"
        + " AND note IS NULL AND upper(country) = 'IT' AND (a = 1 OR b = 2)");
    assertEquals(List.of(
        new ColumnFilter("country", Op.EQ, List.of(new Literal(Kind.STRING, "IT"))),
        new ColumnFilter("id", Op.GT, List.of(new Literal(Kind.NUMBER, "100"))),
        new ColumnFilter("ts", Op.GT_EQ, List.of(new Literal(Kind.TIMESTAMP, "2023-01-01 00:00:00"))),
        new ColumnFilter("day", Op.GT_EQ, List.of(new Literal(Kind.DATE, "2023-01-01"))),
        new ColumnFilter("day", Op.LT_EQ, List.of(new Literal(Kind.DATE, "2023-02-01"))),
        new ColumnFilter("x", Op.IN, List.of(new Literal(Kind.NUMBER, "1"), new Literal(Kind.NUMBER, "2"))),
        new ColumnFilter("note", Op.IS_NULL, List.of())), t.filters());
  }

  @Test
  void aliasesQualifyColumnsAndAreRecorded() {
    TableReference t = only("SELECT s.id FROM sales.t AS s WHERE s.country = 'FR' AND other.x = 1");
    assertEquals(Optional.of("s"), t.alias());
    assertEquals(List.of(new ColumnFilter("country", Op.EQ, List.of(new Literal(Kind.STRING, "FR")))), t.filters());
    assertEquals(Optional.of("x"), only("SELECT * FROM t x WHERE x.a = 1").alias());
  }

  @Test
  void joinsAndSubqueriesGiveNoFilters() {
    List<TableReference> tables = frontend.parse("SELECT * FROM a JOIN b ON a.id = b.id WHERE a.x = 1").tables();
    assertEquals(List.of(List.of(), List.of()), tables.stream().map(TableReference::filters).toList());
    TableReference inner = only("SELECT * FROM (SELECT * FROM t WHERE k = 5) WHERE k > 1");
    assertEquals(List.of(new ColumnFilter("k", Op.EQ, List.of(new Literal(Kind.NUMBER, "5")))), inner.filters());
  }

  @Test
  void onlyAPlainBetweenIsTwoBounds() {
    assertEquals(List.of(new ColumnFilter("id", Op.GT_EQ, List.of(new Literal(Kind.NUMBER, "1"))),
        new ColumnFilter("id", Op.LT_EQ, List.of(new Literal(Kind.NUMBER, "5")))),
        only("SELECT * FROM t WHERE id BETWEEN ASYMMETRIC 1 AND 5").filters());
    // SYMMETRIC swaps bounds given high first: as two bounds it would keep no row of 5 to 10
    assertEquals(List.of(), only("SELECT * FROM t WHERE id BETWEEN SYMMETRIC 10 AND 5").filters());
    assertEquals(List.of(), only("SELECT * FROM t WHERE id NOT BETWEEN 1 AND 5").filters());
    assertEquals(List.of(), only("SELECT * FROM t WHERE id NOT BETWEEN SYMMETRIC 1 AND 5").filters());
  }

  @Test
  void aPredicateIsItsConditionsOnlyWhenEachIsAColumnAgainstLiterals() {
    List<ColumnFilter> all = List.of(
        new ColumnFilter("eventTime", Op.GT_EQ, List.of(new Literal(Kind.STRING, "2023-01-01"))),
        new ColumnFilter("id", Op.IN, List.of(new Literal(Kind.NUMBER, "1"), new Literal(Kind.NUMBER, "-2"))),
        new ColumnFilter("n", Op.IS_NOT_NULL, List.of()));
    assertEquals(Optional.of(new ScanConditions(all, true)),
        frontend.conditionsOf("eventTime >= '2023-01-01' AND id IN (1, -2) /* x */ AND n IS NOT NULL -- y"));
    assertEquals(Optional.of(new ScanConditions(List.of(new ColumnFilter("a", Op.EQ,
        List.of(new Literal(Kind.NUMBER, "1")))), false)), frontend.conditionsOf("a = 1 AND upper(b) = 'X'"));
    for (String partly : List.of("a = 1 OR b = 2", "a = 1) OR (1 = 1", "a = b", "NOT a = 1",
        "a BETWEEN SYMMETRIC 5 AND 1", "tarn_scan.a = 1", "scan.a = 1")) {
      assertEquals(false, frontend.conditionsOf(partly).orElseThrow().whole(), partly);
    }
  }

  @Test
  void aPredicateCalciteWouldReadOtherwiseThanDuckDbHasNoConditions() {
    for (String text : List.of(
        "$$x AND n >= 10 AND x$$ <> v", // a string to DuckDB, names to Calcite
        "n >= 10\rAND n <= 20",
        "n <= 10) QUALIFY (row_number() OVER (ORDER BY id) <= 3", // more than a condition
        "n <= 10) GROUP BY n HAVING (count(*) > 1",
        "n <= 10) ORDER BY (n", "a = = 1", "n <= 10 /// 2",
        "n\u200C = 5", // part of the name to DuckDB
        "n = 5 AND s = E'\\' \u00A0'")) { // DuckDB makes that a space before it lexes: its quote scan ends at \'
      assertEquals(Optional.empty(), frontend.conditionsOf(text), text);
    }
    for (String text : List.of("SELECT *, 5 AS \"x\u200C\" FROM t WHERE x\u200C = 5",
        "/* ' */ SELECT *, 5 AS \"x\u00A0\" FROM t WHERE x\u00A0= 5", "SELECT * FROM t WHERE\u2029x = 5")) {
      assertEquals(false, frontend.parse(text).parsedByCalcite(), text);
    }
    for (String number : List.of("0x10", "0b11", "1_000")) { // one number to DuckDB, a number and a name to Calcite
      assertEquals(false, frontend.parse("SELECT " + number + " FROM t").parsedByCalcite(), number);
    }
    for (String number : List.of("10", "1.5", "1e5", "2.5E10", "7.", "1e-5", "2.5E+3")) {
      assertEquals(true, frontend.parse("SELECT " + number + " FROM t").parsedByCalcite(), number);
    }
  }

  @Test
  void calciteReadsCommentsAndIntegerDivisionAsDuckDbDoes() {
    ColumnFilter atMostTen = new ColumnFilter("n", Op.LT_EQ, List.of(new Literal(Kind.NUMBER, "10")));
    ColumnFilter atMostFive = new ColumnFilter("n", Op.LT_EQ, List.of(new Literal(Kind.NUMBER, "5")));
    // DuckDB's integer division is a line comment to Calcite: read as a division, it gives no bound
    assertEquals(Optional.of(new ScanConditions(List.of(), false)), frontend.conditionsOf("n <= 10 //2"));
    assertEquals(Optional.of(new ScanConditions(List.of(), false)), frontend.conditionsOf("n >= 10 //* c */ 2"));
    // DuckDB nests block comments; Calcite would end this one at its first close
    assertEquals(Optional.of(new ScanConditions(List.of(atMostTen, atMostFive), true)),
        frontend.conditionsOf("n <= 10 /* /* */ -- */ AND n <= 5"));
    assertEquals(Optional.of(new ScanConditions(List.of(atMostTen), true)), frontend.conditionsOf("n <= 10 -- /*"));

    ParsedStatement divided = frontend.parse("SELECT * FROM t WHERE n >= 10 //2");
    assertEquals(true, divided.parsedByCalcite());
    assertEquals(List.of(List.of("t")), divided.tables().stream().map(TableReference::nameParts).toList());
    assertEquals(List.of(), divided.tables().get(0).filters());
    TableReference nested = only("SELECT * FROM t /* a /* b */ FROM u */ WHERE n <= 10");
    assertEquals(List.of("t"), nested.nameParts());
    assertEquals(List.of(atMostTen), nested.filters());
    // the table Calcite would have taken for a comment is the one DuckDB reads
    assertEquals(List.of("t"), only("SELECT 1 //* x */ 1 AS one, x FROM t").nameParts());
    // positions stay the client's
    SqlPosition table = only("SELECT /* /* */ */ 1\n   //2 FROM t").position();
    assertEquals(List.of(2, 13), List.of(table.line(), table.column()));
  }


}
