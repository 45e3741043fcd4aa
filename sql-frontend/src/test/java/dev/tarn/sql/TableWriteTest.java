package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.sql.write.AlterAction;
import dev.tarn.sql.write.AlterTable;
import dev.tarn.sql.write.CopyFrom;
import dev.tarn.sql.write.CreateSchema;
import dev.tarn.sql.write.CreateTable;
import dev.tarn.sql.write.CreateView;
import dev.tarn.sql.write.DeleteFrom;
import dev.tarn.sql.write.DropSchema;
import dev.tarn.sql.write.DropTable;
import dev.tarn.sql.write.InsertInto;
import dev.tarn.sql.write.MergeInto;
import dev.tarn.sql.write.PartitionField;
import dev.tarn.sql.write.RowWrite;
import dev.tarn.sql.write.SqlSpan;
import dev.tarn.sql.write.TableWrite;
import dev.tarn.sql.write.UpdateTable;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What DDL and DML statements write, with exact spans into the original text. */
class TableWriteTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  private static TableWrite write(String sql) {
    return FRONTEND.parse(sql).write().orElseThrow(() -> new AssertionError("no write: " + sql));
  }

  private static <T extends TableWrite> T write(String sql, Class<T> type) {
    return assertInstanceOf(type, write(sql), sql);
  }

  private static String text(String sql, SqlPosition position) {
    return sql.substring(position.startIndex(sql), position.endIndex(sql));
  }

  private static String text(String sql, SqlSpan span) {
    return sql.substring(span.startIndex(), span.endIndex());
  }

  /** The target's name parts, and that its position and the row write's span cover {@code name}. */
  private static void assertTarget(String sql, TableWrite write, String name, String... parts) {
    TableReference target = write.targetTable().orElseThrow();
    assertEquals(List.of(parts), target.nameParts(), sql);
    assertEquals(name, text(sql, target.position()), sql);
    assertEquals(target.position(), target.fullPosition());
    if (write instanceof RowWrite row) {
      assertEquals(name, text(sql, row.targetSpan()), sql);
      assertEquals(SqlSpan.of(target.position(), sql), row.targetSpan());
    }
  }

  private static SqlSyntaxException error(String sql) {
    return assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse(sql), sql);
  }

  // ---------------------------------------------------------------------------------------------
  // CREATE TABLE

  @Test
  void createTableWithColumns() {
    String sql = "CREATE TABLE sales.t (id BIGINT, usd DOUBLE, country VARCHAR)";
    CreateTable create = write(sql, CreateTable.class);
    assertTarget(sql, create, "sales.t", "sales", "t");
    assertFalse(create.orReplace());
    assertFalse(create.ifNotExists());
    assertEquals(Optional.of("id BIGINT, usd DOUBLE, country VARCHAR"), create.columnsText());
    assertEquals(List.of(), create.partitionBy());
    assertEquals(Optional.empty(), create.partitionClause());
    assertEquals(Optional.empty(), create.asQuery());
    assertEquals(sql, create.withoutPartitionClause(sql));
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.DDL, parsed.kind());
    assertEquals(Optional.of(create.target()), parsed.target());
  }

  @Test
  void createTableDuckDbTypesAndPartitioning() {
    String sql = "CREATE TABLE IF NOT EXISTS sales.t (id BIGINT PRIMARY KEY, amount DECIMAL(10,2), "
        + "tags VARCHAR[], s STRUCT(a INTEGER), ts TIMESTAMP) PARTITIONED BY (day(ts))";
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertFalse(parsed.parsedByCalcite());
    assertEquals(StatementKind.DDL, parsed.kind());
    CreateTable create = assertInstanceOf(CreateTable.class, parsed.write().orElseThrow());
    assertTarget(sql, create, "sales.t", "sales", "t");
    assertTrue(create.ifNotExists());
    assertEquals(Optional.of("id BIGINT PRIMARY KEY, amount DECIMAL(10,2), tags VARCHAR[], s STRUCT(a INTEGER), "
        + "ts TIMESTAMP"), create.columnsText());
    assertEquals(List.of(new PartitionField("day", "ts", OptionalInt.empty())), create.partitionBy());
    assertEquals("PARTITIONED BY (day(ts))", text(sql, create.partitionClause().orElseThrow()));
    assertEquals("CREATE TABLE IF NOT EXISTS sales.t (id BIGINT PRIMARY KEY, amount DECIMAL(10,2), "
        + "tags VARCHAR[], s STRUCT(a INTEGER), ts TIMESTAMP) ", create.withoutPartitionClause(sql));
  }

  @Test
  void everyPartitionTransform() {
    String sql = "CREATE TABLE t (a INT, b INT, \"Event Time\" TIMESTAMP, c VARCHAR, s STRUCT(x INT))\n"
        + "PARTITIONED BY (\n  a, \"Event Time\", year(b), MONTH(\"Event Time\"), days(b), hour(b),\n"
        + "  bucket(16, a), truncate(4, c), bucket(c, 8), identity(b), s.x -- nested\n)";
    CreateTable create = write(sql, CreateTable.class);
    assertEquals(List.of(
        PartitionField.identity("a"),
        PartitionField.identity("Event Time"),
        new PartitionField("year", "b", OptionalInt.empty()),
        new PartitionField("month", "Event Time", OptionalInt.empty()),
        new PartitionField("day", "b", OptionalInt.empty()),
        new PartitionField("hour", "b", OptionalInt.empty()),
        new PartitionField("bucket", "a", OptionalInt.of(16)),
        new PartitionField("truncate", "c", OptionalInt.of(4)),
        new PartitionField("bucket", "c", OptionalInt.of(8)),
        PartitionField.identity("b"),
        PartitionField.identity("s.x")), create.partitionBy());
    String clause = text(sql, create.partitionClause().orElseThrow());
    assertTrue(clause.startsWith("PARTITIONED BY (\n  a,"), clause);
    assertTrue(clause.endsWith("-- nested\n)"), clause);
    assertEquals("CREATE TABLE t (a INT, b INT, \"Event Time\" TIMESTAMP, c VARCHAR, s STRUCT(x INT))\n",
        create.withoutPartitionClause(sql));
  }

  @Test
  void createTableAsSelect() {
    String sql = "CREATE TABLE t AS SELECT * FROM u";
    ParsedStatement parsed = FRONTEND.parse(sql);
    CreateTable create = assertInstanceOf(CreateTable.class, parsed.write().orElseThrow());
    assertTarget(sql, create, "t", "t");
    assertEquals(Optional.empty(), create.columnsText());
    assertEquals("SELECT * FROM u", text(sql, create.asQuery().orElseThrow()));
    assertEquals(List.of("u"), parsed.sources().stream().map(TableReference::qualifiedName).toList());
  }

  @Test
  void createOrReplaceTableAsFrom() {
    String sql = "CREATE OR REPLACE TABLE t AS FROM x;";
    CreateTable create = write(sql, CreateTable.class);
    assertTrue(create.orReplace());
    assertFalse(create.ifNotExists());
    assertTarget(sql, create, "t", "t");
    assertEquals("FROM x", text(sql, create.asQuery().orElseThrow()));
  }

  @Test
  void createTablePartitionedAsQueryWithCommentsAndNewlines() {
    String sql = "/* nightly */ CREATE TABLE\n  dev.sales.\"Daily Totals\" -- the target\n"
        + "  PARTITIONED BY (bucket(16, id))\nAS\n  (SELECT id, sum(usd) AS usd FROM sales.t GROUP BY id) ;  ";
    CreateTable create = write(sql, CreateTable.class);
    assertTarget(sql, create, "dev.sales.\"Daily Totals\"", "dev", "sales", "Daily Totals");
    assertEquals(new SqlPosition(2, 3, 2, 26), create.target().position());
    assertEquals(List.of(new PartitionField("bucket", "id", OptionalInt.of(16))), create.partitionBy());
    assertEquals("PARTITIONED BY (bucket(16, id))", text(sql, create.partitionClause().orElseThrow()));
    assertEquals("(SELECT id, sum(usd) AS usd FROM sales.t GROUP BY id)", text(sql, create.asQuery().orElseThrow()));
  }

  @Test
  void temporaryTablesAndViewsAreWritesMarkedTemporary() {
    assertTrue(write("CREATE TEMP TABLE t (a INT)", CreateTable.class).temporary());
    CreateTable ctas = write("CREATE OR REPLACE TEMPORARY TABLE t AS SELECT 1", CreateTable.class);
    assertTrue(ctas.temporary() && ctas.orReplace());
    assertFalse(write("CREATE TABLE t (a INT)", CreateTable.class).temporary());
    CreateView view = write("CREATE TEMP VIEW v AS SELECT 1", CreateView.class);
    assertTrue(view.temporary());
    assertEquals("SELECT 1", text("CREATE TEMP VIEW v AS SELECT 1", view.asQuery()));
    assertFalse(write("CREATE VIEW v AS SELECT 1", CreateView.class).temporary());
    // as in DuckDB, a name in temp is temporary with or without TEMP
    assertTrue(write("CREATE TABLE temp.t (a INT)", CreateTable.class).temporary());
    assertTrue(write("CREATE TABLE TEMP.main.t AS SELECT 1", CreateTable.class).temporary());
    assertTrue(write("CREATE VIEW temp.main.v AS SELECT 1", CreateView.class).temporary());
    assertFalse(write("CREATE TABLE temp.other.t (a INT)", CreateTable.class).temporary());
    assertFalse(write("CREATE TABLE sales.t (a INT)", CreateTable.class).temporary());
    assertTrue(write("DROP VIEW v", DropTable.class).view());
  }

  @Test
  void statementsThatAreNotTableWritesHaveNone() {
    for (String sql : List.of("CREATE MACRO add(a, b) AS a + b", "CREATE TEMP MACRO m(a) AS a", "ALTER VIEW v RENAME TO w",
        "CREATE SECRET (TYPE S3, KEY_ID 'k')", "COPY t TO 'x.parquet' (FORMAT PARQUET)",
        "COPY (SELECT 1) TO 'x.csv'", "UPDATE EXTENSIONS", "SELECT * FROM t", "WITH c AS (SELECT 1) SELECT * FROM c",
        "CREATE BRANCH dev", "DROP BRANCH dev", "SET threads = 2", "INSTALL httpfs",
        "CREATE TABLE t (x INT" /* unbalanced: DuckDB's to report */)) {
      assertEquals(Optional.empty(), FRONTEND.parse(sql).write(), sql);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // INSERT, UPDATE, DELETE, MERGE, COPY, TRUNCATE

  @Test
  void insertValuesWithColumns() {
    String sql = "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')";
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.DML, parsed.kind());
    InsertInto insert = assertInstanceOf(InsertInto.class, parsed.write().orElseThrow());
    assertTarget(sql, insert, "t", "t");
    assertFalse(insert.upsert());
    assertFalse(insert.hasReturning());
    assertEquals(Optional.empty(), insert.alias());
    assertEquals("INSERT INTO scratch_1 (a, b) VALUES (1, 'x'), (2, 'y')", insert.withTarget(sql, "scratch_1"));
  }

  @Test
  void oneRowOfConstantsIsTold() {
    InsertInto plain = write("INSERT INTO t VALUES (1, 'x, y', -2.5e3, NULL, TRUE, [1, [2, 3]], {'k': (4, 5)},"
        + " TIMESTAMP '2024-01-01 10:00', CAST('7' AS INTEGER), 'é😀' || 'z', INTERVAL 2 DAY, current_date);",
        InsertInto.class);
    assertEquals(12, plain.constantRow().orElseThrow().width());
    assertTrue(plain.constantRow().get().text().startsWith("(1, 'x, y'"));
    assertTrue(plain.constantRow().get().text().endsWith("current_date)"));
    InsertInto listed = write("INSERT INTO s.t (b, a) VALUES (/* ) */ 'k', -- , \n 7) -- trailing", InsertInto.class);
    assertEquals(2, listed.constantRow().orElseThrow().width());
    assertEquals("('k', -- , \n 7)", listed.constantRow().get().text().replace("/* ) */ ", ""));
    // DuckDB allows a trailing comma
    assertEquals(1, write("INSERT INTO t VALUES (7,)", InsertInto.class).constantRow().orElseThrow().width());
    assertEquals(2, write("INSERT INTO t VALUES ([1, 2,], 3 ,)", InsertInto.class).constantRow().orElseThrow().width());

    // anything that could read, name, take a value or run a function goes the general way
    for (String sql : List.of(
        "INSERT INTO t VALUES (1), (2)",
        "INSERT INTO t VALUES ((SELECT max(a) FROM u))",
        "INSERT INTO t VALUES ((FROM u SELECT 1))",
        "INSERT INTO t VALUES (upper('x'))",
        "INSERT INTO t VALUES ('x'.upper())",
        "INSERT INTO t VALUES (CAST(1 AS DECIMAL(10, 2)))",
        "INSERT INTO t VALUES (\"a\")",
        "INSERT INTO t VALUES (?)",
        "INSERT INTO t VALUES ($1)",
        "INSERT INTO t VALUES (DEFAULT)",
        "INSERT INTO t VALUES ()",
        "INSERT INTO t VALUES (1, EXISTS (SELECT 1))",
        "INSERT INTO t VALUES ([a FOR a IN [1, 2] IF a > 1])",
        "INSERT INTO t VALUES (current_schema)",
        "INSERT INTO t VALUES (CURRENT_USER)",
        "INSERT INTO t VALUES (user)",
        "INSERT INTO t SELECT 1",
        "INSERT INTO t BY NAME VALUES (1)",
        "INSERT INTO t VALUES (1) RETURNING *",
        "INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING",
        "INSERT OR REPLACE INTO t VALUES (1)",
        "WITH u AS (SELECT 1) INSERT INTO t VALUES (1)",
        "INSERT INTO t DEFAULT VALUES")) {
      assertEquals(Optional.empty(), write(sql, InsertInto.class).constantRow(), sql);
    }
  }

  @Test
  void insertByNameThreePartTarget() {
    String sql = "INSERT INTO dev.sales.t BY NAME SELECT * FROM sales.staging";
    InsertInto insert = write(sql, InsertInto.class);
    assertTarget(sql, insert, "dev.sales.t", "dev", "sales", "t");
    assertEquals(new SqlSpan(12, 23), insert.targetSpan());
  }

  @Test
  void insertOrReplaceIsAnUpsert() {
    String sql = "INSERT OR REPLACE INTO t VALUES (1)";
    InsertInto insert = write(sql, InsertInto.class);
    assertTarget(sql, insert, "t", "t");
    assertTrue(insert.upsert());
    assertTrue(write("INSERT OR IGNORE INTO t VALUES (1)", InsertInto.class).upsert());
    InsertInto onConflict = write(
        "INSERT INTO t AS x VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET v = excluded.v RETURNING *",
        InsertInto.class);
    assertTrue(onConflict.upsert());
    assertEquals(Optional.of("x"), onConflict.alias());
    assertTrue(onConflict.hasReturning());
  }

  @Test
  void insertAfterCtesTargetIsNotTheCteSource() {
    String sql = "WITH s AS (SELECT * FROM sales.raw WHERE ok), u AS MATERIALIZED (SELECT 1)\n"
        + "INSERT INTO sales.t SELECT * FROM s";
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.DML, parsed.kind());
    InsertInto insert = assertInstanceOf(InsertInto.class, parsed.write().orElseThrow());
    assertTarget(sql, insert, "sales.t", "sales", "t");
    assertEquals(new SqlPosition(2, 13, 2, 19), insert.target().position());
    assertEquals(Optional.of(insert.target()), parsed.target());
    // Calcite's grammars do not take WITH before INSERT, so tables() (and sources()) are empty here;
    // the target comes from the text either way.
    assertEquals(parsed.tables(), parsed.sources());
    assertEquals(Optional.of("WITH s AS (SELECT * FROM sales.raw WHERE ok), u AS MATERIALIZED (SELECT 1)\n"
        + "SELECT * FROM s"), insert.source(), "the CTEs travel with the rows inserted");
    String recursive = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) "
        + "DELETE FROM t WHERE a IN (SELECT n FROM c)";
    SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse(recursive));
    assertTrue(e.getMessage().contains("subquery"), e.getMessage());
  }

  @Test
  void insertSelectFromTheSameTableKeepsTheSource() {
    String sql = "INSERT INTO t SELECT * FROM t AT TAG v1";
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertTrue(parsed.parsedByCalcite());
    assertEquals(2, parsed.tables().size());
    assertEquals(1, parsed.sources().size());
    assertEquals("v1", parsed.sources().get(0).at().orElseThrow().name());
    assertEquals(parsed.tables().get(0).position(), parsed.target().orElseThrow().position());
  }

  @Test
  void insertWithReturning() {
    String sql = "INSERT INTO t SELECT a FROM u WHERE a IN (SELECT x FROM v) RETURNING a, b AS \"returning\"";
    InsertInto insert = write(sql, InsertInto.class);
    assertEquals("RETURNING a, b AS \"returning\"", text(sql, insert.returningClause().orElseThrow()));
  }

  @Test
  void updateFrom() {
    String sql = "UPDATE sales.t SET a = 1 FROM other WHERE t.id = other.id";
    UpdateTable update = write(sql, UpdateTable.class);
    assertTarget(sql, update, "sales.t", "sales", "t");
    assertEquals(Optional.empty(), update.alias());
    assertFalse(update.hasReturning());

    String aliased = "UPDATE  \"My T\"  AS x SET a = 1 RETURNING *";
    UpdateTable withAlias = write(aliased, UpdateTable.class);
    assertTarget(aliased, withAlias, "\"My T\"", "My T");
    assertEquals(Optional.of("x"), withAlias.alias());
    assertEquals("RETURNING *", text(aliased, withAlias.returningClause().orElseThrow()));
    assertEquals("UPDATE  scratch  AS x SET a = 1 RETURNING *", withAlias.withTarget(aliased, "scratch"));
    assertEquals(Optional.of("y"), write("UPDATE t y SET a = 1", UpdateTable.class).alias());
  }

  @Test
  void deleteUsing() {
    String sql = "DELETE FROM t USING other WHERE t.id = other.id";
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.DML, parsed.kind());
    DeleteFrom delete = assertInstanceOf(DeleteFrom.class, parsed.write().orElseThrow());
    assertTarget(sql, delete, "t", "t");
    assertEquals(Optional.empty(), delete.alias());
    assertEquals(Optional.of("d"), write("DELETE FROM t AS d WHERE d.a = 1", DeleteFrom.class).alias());
    assertEquals(Optional.of("d"), write("DELETE FROM t d", DeleteFrom.class).alias());
    String returning = "DELETE FROM t WHERE a = (SELECT max(a) FROM t) RETURNING a";
    assertEquals("RETURNING a", text(returning, write(returning, DeleteFrom.class).returningClause().orElseThrow()));
  }

  @Test
  void truncateDeletesEveryRow() {
    String sql = "TRUNCATE TABLE sales.t";
    DeleteFrom delete = write(sql, DeleteFrom.class);
    assertTarget(sql, delete, "sales.t", "sales", "t");
    assertTarget("TRUNCATE t", write("TRUNCATE t"), "t", "t");
  }

  @Test
  void mergeInto() {
    String sql = "MERGE INTO sales.t AS tgt USING u ON tgt.id = u.id WHEN MATCHED THEN UPDATE SET a = u.a "
        + "WHEN NOT MATCHED THEN INSERT VALUES (u.id, u.a)";
    ParsedStatement parsed = FRONTEND.parse(sql);
    MergeInto merge = assertInstanceOf(MergeInto.class, parsed.write().orElseThrow());
    assertTarget(sql, merge, "sales.t", "sales", "t");
    assertEquals(Optional.of("tgt"), merge.alias());
    assertTrue(parsed.parsedByCalcite());
    assertEquals(List.of("sales.t", "u"), parsed.tables().stream().map(TableReference::qualifiedName).toList());
    assertEquals(List.of("u"), parsed.sources().stream().map(TableReference::qualifiedName).toList());
    assertEquals("u ", merge.source().text(sql));
    assertEquals("tgt.id = u.id ", merge.condition().text(sql));
    assertEquals(2, merge.clauses().size());
    MergeInto.When update = merge.clauses().get(0);
    assertTrue(update.matched());
    assertEquals(MergeInto.Action.UPDATE, update.action());
    assertEquals("a = u.a ", update.body().orElseThrow().text(sql));
    MergeInto.When insert = merge.clauses().get(1);
    assertEquals(MergeInto.Action.INSERT, insert.action());
    assertEquals("u.id, u.a", insert.body().orElseThrow().text(sql));
  }

  @Test
  void mergeIntoClausesOfEveryKind() {
    String sql = "MERGE INTO t USING (SELECT id, \"when\" FROM s WHERE x IN (SELECT 1)) AS src ON t.id = src.id"
        + " AND t.k = (SELECT 2) WHEN MATCHED AND src.\"when\" = 'then' THEN DELETE"
        + " WHEN MATCHED THEN UPDATE SET v = src.v, w = (SELECT 3 WHERE 1 = 1)"
        + " WHEN NOT MATCHED BY TARGET THEN INSERT (id, v) VALUES (src.id, coalesce(src.v, 'x'))"
        + " WHEN NOT MATCHED BY SOURCE THEN DO NOTHING";
    MergeInto merge = write(sql, MergeInto.class);
    assertEquals("(SELECT id, \"when\" FROM s WHERE x IN (SELECT 1)) AS src ", merge.source().text(sql));
    assertEquals("t.id = src.id AND t.k = (SELECT 2) ", merge.condition().text(sql));
    assertEquals(List.of(MergeInto.Action.DELETE, MergeInto.Action.UPDATE, MergeInto.Action.INSERT,
        MergeInto.Action.NOTHING), merge.clauses().stream().map(MergeInto.When::action).toList());
    assertEquals("src.\"when\" = 'then' ", merge.clauses().get(0).condition().orElseThrow().text(sql));
    assertEquals("v = src.v, w = (SELECT 3 WHERE 1 = 1) ", merge.clauses().get(1).body().orElseThrow().text(sql));
    assertEquals(List.of("id", "v"), merge.clauses().get(2).columns());
    assertEquals(Optional.of("TARGET"), merge.clauses().get(2).by());
    assertEquals(Optional.of("SOURCE"), merge.clauses().get(3).by());
    assertFalse(merge.clauses().get(3).matched());
    for (String bad : List.of("MERGE INTO t USING s", "MERGE INTO t USING s ON t.id = s.id",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN TRUNCATE",
        "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN INSERT VALUES ()")) {
      org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse(bad), bad);
    }
  }

  @Test
  void insertOnConflictNamesItsKeyAndItsAssignments() {
    String sql = "INSERT INTO t VALUES (1, 'a'), (2, 'on conflict') ON CONFLICT (id, \"Kind\") DO UPDATE SET"
        + " v = excluded.v WHERE t.v <> excluded.v";
    InsertInto insert = write(sql, InsertInto.class);
    assertTrue(insert.upsert());
    assertEquals("VALUES (1, 'a'), (2, 'on conflict') ", insert.source().orElseThrow());
    InsertInto.OnConflict conflict = insert.onConflict().orElseThrow();
    assertEquals(List.of("id", "Kind"), conflict.columns());
    assertEquals("v = excluded.v WHERE t.v <> excluded.v", conflict.update().orElseThrow().text(sql));
    InsertInto nothing = write("INSERT INTO t SELECT * FROM u ON CONFLICT (id) DO NOTHING", InsertInto.class);
    assertEquals(Optional.empty(), nothing.onConflict().orElseThrow().update());
    assertEquals(Optional.empty(), write("INSERT OR REPLACE INTO t VALUES (1)", InsertInto.class).onConflict());
    assertEquals(Optional.empty(), write("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", InsertInto.class)
        .onConflict());
  }

  @Test
  void copyFromAppends() {
    String sql = "COPY sales.t (a, b) FROM 'x.csv' (HEADER)";
    CopyFrom copy = write(sql, CopyFrom.class);
    assertTarget(sql, copy, "sales.t", "sales", "t");
    assertEquals(StatementKind.DDL, FRONTEND.parse(sql).kind());
  }

  // ---------------------------------------------------------------------------------------------
  // DROP, ALTER, schemas

  @Test
  void dropTable() {
    String sql = "DROP TABLE IF EXISTS a.b";
    DropTable drop = write(sql, DropTable.class);
    assertTarget(sql, drop, "a.b", "a", "b");
    assertTrue(drop.ifExists());
    DropTable plain = write("DROP TABLE \"Feature X\" CASCADE", DropTable.class);
    assertEquals(List.of("Feature X"), plain.target().nameParts());
    assertFalse(plain.ifExists());
  }

  @Test
  void droppingATemporaryTableNamesItInTheTempCatalog() {
    assertEquals(List.of("temp", "scratchpad"), write("DROP TABLE temp.scratchpad", DropTable.class).target().nameParts());
    DropTable drop = write("DROP TABLE IF EXISTS TEMP.\"x\"", DropTable.class);
    assertTrue(drop.ifExists());
    assertEquals(List.of("TEMP", "x"), drop.target().nameParts());
  }

  @Test
  void rowWritesCarryTheFragmentsTarnComposesDuckDbTextFrom() {
    String insert = "INSERT INTO t BY NAME (a, \"B\") VALUES (1, 2)";
    InsertInto rows = write(insert, InsertInto.class);
    assertTrue(rows.byName());
    assertEquals(List.of("a", "B"), rows.columns());
    assertEquals(Optional.of("VALUES (1, 2)"), rows.source());
    assertEquals(Optional.empty(), write("INSERT INTO t DEFAULT VALUES", InsertInto.class).source());
    assertEquals(Optional.of("(SELECT 1)"), write("INSERT INTO t (SELECT 1)", InsertInto.class).source());
    String update = "UPDATE t AS x SET a = 1, b = b + 1 FROM u WHERE u.id = x.id";
    assertEquals("a = 1, b = b + 1 FROM u WHERE u.id = x.id", text(update, write(update, UpdateTable.class).assignments()));
    String delete = "DELETE FROM t USING u WHERE u.id = t.id";
    DeleteFrom.Filter filter = write(delete, DeleteFrom.class).filter().orElseThrow();
    assertEquals("USING", filter.keyword());
    assertEquals("u WHERE u.id = t.id", text(delete, filter.rest()));
    assertEquals(Optional.empty(), write("DELETE FROM t", DeleteFrom.class).filter());
    assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse("UPDATE t a = 1"));
  }

  @Test
  void alterTableAddColumn() {
    String sql = "ALTER TABLE t ADD COLUMN IF NOT EXISTS c INTEGER";
    AlterTable alter = write(sql, AlterTable.class);
    assertTarget(sql, alter, "t", "t");
    assertEquals(List.of(new AlterAction.AddColumn("c", "INTEGER", true)), alter.actions());
    assertEquals(List.of(new AlterAction.AddColumn("amount", "DECIMAL(10, 2)", false, Optional.of("DEFAULT 0 NOT NULL"))),
        write("ALTER TABLE sales.t ADD amount DECIMAL(10, 2) DEFAULT 0 NOT NULL", AlterTable.class).actions());
    assertEquals(List.of(new AlterAction.AddColumn("Tags", "VARCHAR[]", false)),
        write("ALTER TABLE t ADD COLUMN \"Tags\" VARCHAR[]", AlterTable.class).actions());
    assertEquals(List.of(new AlterAction.AddColumn("s", "STRUCT(a INTEGER, b TIMESTAMP WITH TIME ZONE)", false)),
        write("alter table t add column s STRUCT(a INTEGER, b TIMESTAMP WITH TIME ZONE)", AlterTable.class).actions());
  }

  @Test
  void alterTableRenameAndDrop() {
    String sql = "ALTER TABLE dev.sales.t RENAME COLUMN a TO b";
    AlterTable alter = write(sql, AlterTable.class);
    assertTarget(sql, alter, "dev.sales.t", "dev", "sales", "t");
    assertFalse(alter.ifExists());
    assertEquals(List.of(new AlterAction.RenameColumn("a", "b")), alter.actions());
    assertEquals(List.of(new AlterAction.RenameColumn("to", "x")),
        write("ALTER TABLE t RENAME to TO x", AlterTable.class).actions());
    assertEquals(List.of(new AlterAction.DropColumn("c", false)),
        write("ALTER TABLE t DROP COLUMN c", AlterTable.class).actions());
    AlterTable ifExists = write("ALTER TABLE IF EXISTS t DROP IF EXISTS c CASCADE", AlterTable.class);
    assertTrue(ifExists.ifExists());
    assertEquals(List.of(new AlterAction.DropColumn("c", true)), ifExists.actions());
    assertEquals(List.of(new AlterAction.RenameTable("u")),
        write("ALTER TABLE t RENAME TO u", AlterTable.class).actions());
  }

  @Test
  void otherAlterActionsAreReportedAsWritten() {
    String sql = "ALTER TABLE t ALTER COLUMN a TYPE BIGINT, ADD COLUMN b INT, ADD PRIMARY KEY (id)";
    AlterTable alter = write(sql, AlterTable.class);
    assertEquals(3, alter.actions().size());
    AlterAction.Other first = assertInstanceOf(AlterAction.Other.class, alter.actions().get(0));
    assertEquals("ALTER COLUMN a TYPE BIGINT", first.text());
    assertEquals("ALTER COLUMN a TYPE BIGINT", text(sql, first.span()));
    assertEquals(new AlterAction.AddColumn("b", "INT", false), alter.actions().get(1));
    assertEquals("ADD PRIMARY KEY (id)", assertInstanceOf(AlterAction.Other.class, alter.actions().get(2)).text());
  }

  @Test
  void schemas() {
    assertEquals(new CreateSchema("s", true), write("CREATE SCHEMA IF NOT EXISTS s"));
    assertEquals(new CreateSchema("Sales Data", false), write("create schema \"Sales Data\""));
    assertEquals(new CreateSchema("sales", false, Optional.of("dev")), write("CREATE SCHEMA dev.sales"));
    assertEquals(new DropSchema("s", false, true), write("DROP SCHEMA s CASCADE"));
    assertEquals(new DropSchema("s", true, false), write("DROP SCHEMA IF EXISTS s RESTRICT"));
    assertEquals(Optional.empty(), write("DROP SCHEMA s").targetTable());
  }

  @Test
  void identifiersKeepTheirCase() {
    String sql = "insert into Sales.\"Big \"\"Table\"\"\" values (1)";
    InsertInto insert = write(sql, InsertInto.class);
    assertEquals(List.of("Sales", "Big \"Table\""), insert.target().nameParts());
    assertEquals("Sales.\"Big \"\"Table\"\"\"", text(sql, insert.targetSpan()));
  }

  @Test
  void namesSpreadOverLinesAndComments() {
    String sql = "-- load\nDELETE /* all */ FROM\n\tsales /* schema */ . t\nWHERE a = 1";
    DeleteFrom delete = write(sql, DeleteFrom.class);
    assertEquals(List.of("sales", "t"), delete.target().nameParts());
    assertEquals("sales /* schema */ . t", text(sql, delete.targetSpan()));
    assertEquals(new SqlPosition(3, 2, 3, 23), delete.target().position());
  }

  // ---------------------------------------------------------------------------------------------
  // Compatibility and errors

  @Test
  void fiveArgumentConstructorStillWorks() {
    ParsedStatement parsed = new ParsedStatement("SELECT 1", StatementKind.QUERY, List.of(), Optional.empty(), true);
    assertEquals(Optional.empty(), parsed.write());
    assertEquals(Optional.empty(), parsed.target());
    assertThrows(IllegalArgumentException.class, () -> new ParsedStatement("SELECT 1", StatementKind.QUERY,
        List.of(), Optional.empty(), true, Optional.of(new CreateSchema("s", false))));
  }

  @Test
  void badPartitionTransform() {
    String sql = "CREATE TABLE t (x INT)\n  PARTITIONED BY (bucket(x))";
    SqlSyntaxException e = error(sql);
    assertEquals(2, e.position().line());
    assertEquals(19, e.position().column());
    assertEquals("Syntax error at line 2, column 19: PARTITIONED BY bucket takes a number and a column: "
        + "bucket(16, column)", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "CREATE TABLE t (x INT) PARTITIONED BY (week(x))",
      "CREATE TABLE t (x INT) PARTITIONED BY (bucket(0, x))",
      "CREATE TABLE t (x INT) PARTITIONED BY (truncate(x))",
      "CREATE TABLE t (x INT) PARTITIONED BY (day(x, y))",
      "CREATE TABLE t (x INT) PARTITIONED BY ()",
      "CREATE TABLE t (x INT) PARTITIONED BY x",
      "CREATE TABLE t (x INT) PARTITIONED BY (x INT)",
      "CREATE TABLE t (x INT) PARTITIONED (x)",
      "CREATE TABLE t (x INT) PARTITIONED BY (x",
      "CREATE TABLE t",
      "CREATE TABLE t AS",
      "CREATE TABLE (x INT)",
      "CREATE TABLE t (x INT) WITH (format = 'x')",
      "CREATE OR REPLACE SCHEMA s",
      "INSERT VALUES (1)",
      "INSERT INTO",
      "INSERT OR t VALUES (1)",
      "DELETE t WHERE a = 1",
      "UPDATE",
      "DROP TABLE",
      "DROP TABLE a, b",
      "DROP SCHEMA s.t.u",
      "INSERT INTO a.b.c.d VALUES (1)",
      "INSERT INTO a.",
      "INSERT INTO a.(1)",
      "ALTER TABLE t",
      "ALTER TABLE t ADD COLUMN c",
      "ALTER TABLE t RENAME COLUMN a",
      "ALTER TABLE t RENAME TO",
      "ALTER TABLE t DROP COLUMN",
  })
  void malformedWritesFailWithAPosition(String sql) {
    SqlSyntaxException e = error(sql);
    assertEquals(1, e.position().line(), e.getMessage());
    assertTrue(e.position().column() > 1, e.getMessage());
  }

  @Test
  void errorPositionsPointAtTheProblem() {
    assertEquals("Syntax error at line 1, column 40: unknown partition transform week; expected identity, "
        + "year, month, day, hour, bucket or truncate",
        error("CREATE TABLE t (x INT) PARTITIONED BY (week(x))").getMessage());
    assertEquals("Syntax error at line 1, column 12: Encountered end of statement. "
        + "Was expecting a table name after INSERT INTO.", error("INSERT INTO ").getMessage());
    assertEquals("Syntax error at line 1, column 15: DROP TABLE drops one table at a time",
        error("DROP TABLE a.b, c").getMessage());
  }
}
