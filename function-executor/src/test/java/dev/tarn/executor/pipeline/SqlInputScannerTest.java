package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlInputScannerTest {
  @Test
  void fromAndJoin() {
    assertEquals(List.of("a", "s.b", "c"),
        SqlInputScanner.inputs("SELECT * FROM a JOIN s.b ON a.id = b.id LEFT OUTER JOIN c x USING (id)"));
  }

  @Test
  void commaListsAliasesAndSubqueries() {
    assertEquals(List.of("a", "b", "c"), SqlInputScanner.inputs(
        "select x from a as t1, b t2(k, v), (select * from c) sub where x in (select y from c)"));
  }

  @Test
  void ctesAreNotInputs() {
    assertEquals(List.of("base", "other"), SqlInputScanner.inputs(
        "WITH RECURSIVE x(n) AS (SELECT 1 FROM base), y AS MATERIALIZED (SELECT * FROM other) "
            + "SELECT * FROM x JOIN y ON true"));
  }

  @Test
  void ignoresCommentsStringsFunctionsAndFromInExpressions() {
    assertEquals(List.of("t", "Quoted Name"), SqlInputScanner.inputs(
        "-- FROM nope\nSELECT 'FROM fake', EXTRACT(YEAR FROM d), a IS DISTINCT FROM b /* from x */ "
            + "FROM t, read_parquet('f.parquet') JOIN \"Quoted Name\" q ON true"));
  }
}
