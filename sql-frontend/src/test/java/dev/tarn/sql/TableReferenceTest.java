package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.sql.command.ReferenceSpec;
import dev.tarn.sql.command.ReferenceType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Table references with positions, CTEs, subqueries and time-travel clauses. */
class TableReferenceTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  private static List<TableReference> tables(String sql) {
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertTrue(parsed.parsedByCalcite(), sql);
    return parsed.tables();
  }

  private static List<String> names(String sql) {
    return tables(sql).stream().map(TableReference::qualifiedName).toList();
  }

  /** The text a span covers. */
  private static String text(String sql, SqlPosition position) {
    return sql.substring(position.startIndex(sql), position.endIndex(sql));
  }

  @Test
  void oneTableWithPosition() {
    String sql = "SELECT a FROM sales.transactions WHERE a > 1";
    TableReference t = tables(sql).get(0);
    assertEquals(List.of("sales", "transactions"), t.nameParts());
    assertEquals(new SqlPosition(1, 15, 1, 32), t.position());
    assertEquals("sales.transactions", text(sql, t.position()));
    assertEquals(Optional.empty(), t.at());
    assertEquals(t.position(), t.fullPosition());
  }

  @Test
  void multiLinePositions() {
    String sql = "SELECT *\n  FROM dev.sales.t AS a\n  JOIN\n    \"Odd Name\" b ON a.id = b.id";
    List<TableReference> tables = tables(sql);
    assertEquals(2, tables.size());
    assertEquals(List.of("dev", "sales", "t"), tables.get(0).nameParts());
    assertEquals(new SqlPosition(2, 8, 2, 18), tables.get(0).position());
    assertEquals(List.of("Odd Name"), tables.get(1).nameParts());
    assertEquals(new SqlPosition(4, 5, 4, 14), tables.get(1).position());
    assertEquals("\"Odd Name\"", text(sql, tables.get(1).position()));
  }

  @Test
  void tabsCountAsOneColumn() {
    assertEquals(SqlPosition.at(1, 15).column(), tables("SELECT\t*\tFROM\tt").get(0).position().column());
  }

  @Test
  void joinsSubqueriesAndSetOperations() {
    assertEquals(List.of("a", "b", "c", "d", "e", "f"), names(
        "SELECT (SELECT max(x) FROM a) FROM b JOIN (SELECT * FROM c) s ON true "
            + "WHERE EXISTS (SELECT 1 FROM d) UNION SELECT * FROM e, f"));
  }

  @Test
  void cteNamesAreNotTables() {
    assertEquals(List.of("base", "other"), names(
        "WITH c AS (SELECT * FROM base), d AS (SELECT * FROM c) SELECT * FROM d JOIN other ON true JOIN C ON true"));
    // a qualified name is a table even if its last part matches a CTE
    assertEquals(List.of("s.c"), names("WITH c AS (SELECT 1) SELECT * FROM s.c"));
  }

  @Test
  void dmlTargetsAndSources() {
    assertEquals(List.of("s.t", "u", "v"), names("INSERT INTO s.t SELECT * FROM u WHERE x IN (SELECT y FROM v)"));
    assertEquals(List.of("t", "u"), names("UPDATE t SET a = (SELECT max(a) FROM u)"));
    assertEquals(List.of("t", "u"), names("DELETE FROM t WHERE a IN (SELECT a FROM u)"));
    assertEquals(List.of("t", "u"), names(
        "MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = u.a"));
    assertEquals(List.of("x"), names("CREATE TABLE t2 AS SELECT * FROM x"));
    assertEquals(List.of("t"), names("DESCRIBE t"));
  }

  @Test
  void tableFunctionsAreNotTables() {
    assertEquals(List.of(), names("SELECT * FROM read_parquet('x.parquet')"));
    assertEquals(List.of(), names("SELECT * FROM (VALUES (1), (2)) v(x)"));
  }

  @Test
  void timeTravelAtBranchTagCommitTimestamp() {
    String sql = "SELECT * FROM sales.t AT BRANCH dev a\n"
        + "JOIN sales.t AT TAG v1 b ON a.id = b.id\n"
        + "JOIN u AT COMMIT 'a1b2c3d4' ON true\n"
        + "JOIN w AT TIMESTAMP '2026-11-20 10:00:00' ON true";
    List<TableReference> tables = tables(sql);
    assertEquals(4, tables.size());

    assertEquals(Optional.of(ReferenceSpec.of("dev", ReferenceType.BRANCH)), tables.get(0).at());
    assertEquals("sales.t", text(sql, tables.get(0).position()));
    assertEquals("sales.t AT BRANCH dev", text(sql, tables.get(0).fullPosition()));

    assertEquals(Optional.of(ReferenceSpec.of("v1", ReferenceType.TAG)), tables.get(1).at());
    assertEquals("sales.t AT TAG v1", text(sql, tables.get(1).fullPosition()));
    assertEquals(new SqlPosition(2, 6, 2, 22), tables.get(1).fullPosition());

    assertEquals(Optional.of(ReferenceSpec.atCommit(ReferenceSpec.CURRENT, ReferenceType.ANY, "a1b2c3d4")),
        tables.get(2).at());
    assertEquals("u AT COMMIT 'a1b2c3d4'", text(sql, tables.get(2).fullPosition()));

    ReferenceSpec ts = tables.get(3).at().orElseThrow();
    assertEquals(Optional.of("2026-11-20 10:00:00"), ts.timestamp());
    assertTrue(!ts.hasName());
    assertEquals("w AT TIMESTAMP '2026-11-20 10:00:00'", text(sql, tables.get(3).fullPosition()));
  }

  @Test
  void forSystemTimeAsOf() {
    String sql = "SELECT * FROM t FOR SYSTEM_TIME AS OF TIMESTAMP '2026-11-20 10:00:00' WHERE x = 1";
    TableReference t = tables(sql).get(0);
    assertEquals(Optional.of(ReferenceSpec.atTimestamp(ReferenceSpec.CURRENT, ReferenceType.ANY, "2026-11-20 10:00:00")),
        t.at());
    assertEquals("t FOR SYSTEM_TIME AS OF TIMESTAMP '2026-11-20 10:00:00'", text(sql, t.fullPosition()));
  }

  @Test
  void timeTravelTakesParametersNumberedAmongTheOthers() {
    String sql = "SELECT ? AS x FROM sales.t AT TIMESTAMP ? a\n"
        + "JOIN dev.sales.u AT COMMIT ? b ON a.id = b.id\n"
        + "JOIN v FOR SYSTEM_TIME AS OF ? ON true WHERE a.id > ?";
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(5, parsed.parameterMarkers());
    List<TableReference> tables = parsed.tables();
    assertEquals(Optional.of(new PointInTimeParameter(1, PointInTimeParameter.Pin.TIMESTAMP)),
        tables.get(0).atParameter());
    assertEquals(Optional.empty(), tables.get(0).at());
    assertEquals("sales.t AT TIMESTAMP ?", text(sql, tables.get(0).fullPosition()));
    assertEquals(Optional.of("a"), tables.get(0).alias());

    assertEquals(List.of("dev", "sales", "u"), tables.get(1).nameParts());
    assertEquals(Optional.of(new PointInTimeParameter(2, PointInTimeParameter.Pin.COMMIT)),
        tables.get(1).atParameter());
    assertEquals("dev.sales.u AT COMMIT ?", text(sql, tables.get(1).fullPosition()));

    assertEquals(Optional.of(new PointInTimeParameter(3, PointInTimeParameter.Pin.TIMESTAMP)),
        tables.get(2).atParameter());
    assertEquals("v FOR SYSTEM_TIME AS OF ?", text(sql, tables.get(2).fullPosition()));
    assertEquals(List.of(1, 2, 3), parsed.pointInTimeParameters().stream().map(PointInTimeParameter::index).toList());

    TableReference pinned = tables.get(0).pinnedAt(ReferenceSpec.atTimestamp(ReferenceSpec.CURRENT, ReferenceType.ANY,
        "2026-11-20 10:00:00"));
    assertEquals(Optional.empty(), pinned.atParameter());
    assertEquals(tables.get(0).fullPosition(), pinned.fullPosition());
    assertTrue(pinned.hasTimeTravel());
  }

  @Test
  void forSystemTimeAsOfAnExpressionIsRefusedNotIgnored() {
    // Tarn picks the commit before the engine runs: reading the current state instead would be a silent wrong answer.
    SqlSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class,
        () -> FRONTEND.parse("SELECT * FROM t FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP - INTERVAL '1' DAY"));
    assertTrue(e.getMessage().contains("takes a timestamp literal"), e.getMessage());
  }

  @Test
  void sameTableAtTwoPointsInTime() {
    List<TableReference> tables = tables(
        "SELECT * FROM t AT TAG v1 old JOIN t AT BRANCH main cur ON old.id = cur.id");
    assertEquals(List.of("t", "t"), tables.stream().map(TableReference::qualifiedName).toList());
    assertEquals("v1", tables.get(0).at().orElseThrow().name());
    assertEquals("main", tables.get(1).at().orElseThrow().name());
  }

  @Test
  void timeTravelInDmlSource() {
    List<TableReference> tables = tables("INSERT INTO t SELECT * FROM t AT TAG v1");
    assertEquals(Optional.empty(), tables.get(0).at());
    assertEquals(Optional.of(ReferenceSpec.of("v1", ReferenceType.TAG)), tables.get(1).at());
  }

  @Test
  void tarnWordsStayUsableAsNames() {
    assertEquals(List.of("t"), names("SELECT log, tag, branch FROM t"));
    assertEquals(List.of("log", "tag.branch"), names("SELECT run.x FROM log AS run JOIN tag.branch AS pipeline ON true"));
    assertEquals(List.of("reference"), names("SELECT diff, runs, logs, tags, branches, against, dry, list FROM reference"));
    assertEquals(List.of("use"), names("SELECT \"if\", \"use\" FROM use"));
  }

  @Test
  void twoArgumentConstructorStillWorks() {
    TableReference t = new TableReference(List.of("a", "b"), SqlPosition.at(1, 1));
    assertEquals(Optional.empty(), t.at());
    assertEquals(t.position(), t.fullPosition());
    assertEquals("a.b", t.qualifiedName());
  }
}
