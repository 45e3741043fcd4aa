package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.sql.command.ApproveMergeRequest;
import dev.tarn.sql.command.AssignBranch;
import dev.tarn.sql.command.CreateMergeRequest;
import dev.tarn.sql.command.CreateReference;
import dev.tarn.sql.command.DropReference;
import dev.tarn.sql.command.MergeBranch;
import dev.tarn.sql.command.OptimizeTable;
import dev.tarn.sql.command.ReferenceSpec;
import dev.tarn.sql.command.ReferenceType;
import dev.tarn.sql.command.RejectMergeRequest;
import dev.tarn.sql.command.RunPipeline;
import dev.tarn.sql.command.ShowDiff;
import dev.tarn.sql.command.ShowLog;
import dev.tarn.sql.command.ShowMergeRequests;
import dev.tarn.sql.command.ShowReferences;
import dev.tarn.sql.command.ShowRun;
import dev.tarn.sql.command.ShowRuns;
import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.UseReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** One parse test per Tarn statement and alias (sql.md "Branch and tag commands", pipelines.md). */
class TarnCommandParseTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();
  private static final Optional<String> NONE = Optional.empty();

  static Stream<Arguments> statements() {
    return Stream.of(
        // CREATE BRANCH | TAG
        Arguments.of("CREATE BRANCH dev",
            new CreateReference(ReferenceType.BRANCH, "dev", false, Optional.empty())),
        Arguments.of("create branch if not exists dev from main",
            new CreateReference(ReferenceType.BRANCH, "dev", true, Optional.of(ReferenceSpec.of("main", ReferenceType.ANY)))),
        Arguments.of("CREATE BRANCH dev FROM main AT COMMIT 'a1b2c3d4'",
            new CreateReference(ReferenceType.BRANCH, "dev", false,
                Optional.of(ReferenceSpec.atCommit("main", ReferenceType.ANY, "a1b2c3d4")))),
        Arguments.of("CREATE BRANCH dev FROM TAG v1",
            new CreateReference(ReferenceType.BRANCH, "dev", false, Optional.of(ReferenceSpec.of("v1", ReferenceType.TAG)))),
        Arguments.of("CREATE BRANCH b AT BRANCH r",
            new CreateReference(ReferenceType.BRANCH, "b", false, Optional.of(ReferenceSpec.of("r", ReferenceType.BRANCH)))),
        Arguments.of("CREATE BRANCH b AT REFERENCE r AT COMMIT 'ff00ff00'",
            new CreateReference(ReferenceType.BRANCH, "b", false,
                Optional.of(ReferenceSpec.atCommit("r", ReferenceType.ANY, "ff00ff00")))),
        Arguments.of("CREATE TAG IF NOT EXISTS v1 FROM main IN nessie",
            new CreateReference(ReferenceType.TAG, "v1", true, Optional.of(ReferenceSpec.of("main", ReferenceType.ANY)),
                Optional.of("nessie"))),
        Arguments.of("CREATE BRANCH \"feature/x\" FROM \"Main\"",
            new CreateReference(ReferenceType.BRANCH, "feature/x", false,
                Optional.of(ReferenceSpec.of("Main", ReferenceType.ANY)))),
        Arguments.of("CREATE BRANCH Feature_X", // unquoted names keep their case
            new CreateReference(ReferenceType.BRANCH, "Feature_X", false, Optional.empty())),
        Arguments.of("CREATE BRANCH branch FROM tag", // Tarn's words are names, too
            new CreateReference(ReferenceType.BRANCH, "branch", false, Optional.of(ReferenceSpec.of("tag", ReferenceType.ANY)))),
        // DROP
        Arguments.of("DROP BRANCH dev", new DropReference(ReferenceType.BRANCH, "dev", false)),
        Arguments.of("DROP TAG IF EXISTS v1 IN nessie", new DropReference(ReferenceType.TAG, "v1", true, Optional.of("nessie"))),
        // USE
        Arguments.of("USE BRANCH dev", new UseReference(ReferenceSpec.of("dev", ReferenceType.BRANCH))),
        Arguments.of("USE TAG v1", new UseReference(ReferenceSpec.of("v1", ReferenceType.TAG))),
        Arguments.of("USE REFERENCE dev", new UseReference(ReferenceSpec.of("dev", ReferenceType.ANY))),
        Arguments.of("USE REFERENCE dev AT COMMIT 'a1b2c3d4'",
            new UseReference(ReferenceSpec.atCommit("dev", ReferenceType.ANY, "a1b2c3d4"))),
        Arguments.of("USE REFERENCE dev AT TIMESTAMP '2026-11-20 10:00:00'",
            new UseReference(ReferenceSpec.atTimestamp("dev", ReferenceType.ANY, "2026-11-20 10:00:00"))),
        Arguments.of("USE BRANCH dev IN nessie",
            new UseReference(ReferenceSpec.of("dev", ReferenceType.BRANCH), Optional.of("nessie"))),
        // MERGE
        Arguments.of("MERGE BRANCH dev", new MergeBranch("dev", NONE, false)),
        Arguments.of("MERGE BRANCH dev INTO main", new MergeBranch("dev", Optional.of("main"), false)),
        Arguments.of("MERGE BRANCH DRY RUN dev INTO main IN nessie",
            new MergeBranch("dev", Optional.of("main"), true, Optional.of("nessie"))),
        Arguments.of("MERGE BRANCH dry INTO main", new MergeBranch("dry", Optional.of("main"), false)),
        // ALTER BRANCH ... ASSIGN TO, ASSIGN BRANCH
        Arguments.of("ALTER BRANCH main ASSIGN TO dev", new AssignBranch("main", ReferenceSpec.of("dev", ReferenceType.ANY))),
        Arguments.of("ALTER BRANCH main ASSIGN TO main AT COMMIT 'a1b2c3d4'",
            new AssignBranch("main", ReferenceSpec.atCommit("main", ReferenceType.ANY, "a1b2c3d4"))),
        Arguments.of("ASSIGN BRANCH main TO dev AT 'a1b2c3d4'",
            new AssignBranch("main", ReferenceSpec.atCommit("dev", ReferenceType.ANY, "a1b2c3d4"))),
        Arguments.of("ASSIGN BRANCH main TO TAG v1 IN nessie",
            new AssignBranch("main", ReferenceSpec.of("v1", ReferenceType.TAG), Optional.of("nessie"))),
        // SHOW BRANCHES | TAGS | REFERENCES, LIST REFERENCES
        Arguments.of("SHOW BRANCHES", new ShowReferences(Optional.of(ReferenceType.BRANCH))),
        Arguments.of("SHOW TAGS", new ShowReferences(Optional.of(ReferenceType.TAG))),
        Arguments.of("SHOW REFERENCES", new ShowReferences(Optional.empty())),
        Arguments.of("SHOW BRANCHES ALL", new ShowReferences(Optional.of(ReferenceType.BRANCH), Optional.empty(), true)),
        Arguments.of("show references all in nessie",
            new ShowReferences(Optional.empty(), Optional.of("nessie"), true)),
        Arguments.of("LIST REFERENCES", new ShowReferences(Optional.empty())),
        Arguments.of("list references in nessie", new ShowReferences(Optional.empty(), Optional.of("nessie"))),
        // SHOW LOG | LOGS
        Arguments.of("SHOW LOG", new ShowLog(NONE, OptionalInt.empty())),
        Arguments.of("SHOW LOG dev", new ShowLog(Optional.of("dev"), OptionalInt.empty())),
        Arguments.of("SHOW LOG dev LIMIT 10", new ShowLog(Optional.of("dev"), OptionalInt.of(10))),
        Arguments.of("SHOW LOG LIMIT 5", new ShowLog(NONE, OptionalInt.of(5))),
        Arguments.of("SHOW LOGS main IN nessie", new ShowLog(Optional.of("main"), OptionalInt.empty(), Optional.of("nessie"))),
        // SHOW DIFF
        Arguments.of("SHOW DIFF dev", new ShowDiff("dev", NONE)),
        Arguments.of("SHOW DIFF dev AGAINST main", new ShowDiff("dev", Optional.of("main"))),
        // pipelines
        Arguments.of("RUN PIPELINE 'pipelines/daily'", new RunPipeline("pipelines/daily", NONE, Map.of())),
        Arguments.of("RUN PIPELINE 'p' ON BRANCH dev", new RunPipeline("p", Optional.of("dev"), Map.of())),
        Arguments.of("RUN PIPELINE 'it''s' WITH (dry_run = true)", new RunPipeline("it's", NONE, Map.of("dry_run", "true"))),
        Arguments.of("SHOW RUNS", new ShowRuns()),
        Arguments.of("SHOW RUN 'run-42'", new ShowRun("run-42")),
        // merge requests
        Arguments.of("CREATE MERGE REQUEST FROM \"agent/bot/fix\" INTO main",
            new CreateMergeRequest("agent/bot/fix", "main", NONE, NONE)),
        Arguments.of("create merge request from dev into main title 'it''s done' project 'examples/seed'",
            new CreateMergeRequest("dev", "main", Optional.of("it's done"), Optional.of("examples/seed"))),
        Arguments.of("SHOW MERGE REQUESTS", new ShowMergeRequests()),
        Arguments.of("APPROVE MERGE REQUEST 12", new ApproveMergeRequest(12)),
        Arguments.of("REJECT MERGE REQUEST 3", new RejectMergeRequest(3, NONE)),
        Arguments.of("reject merge request 3 reason 'needs a filter'",
            new RejectMergeRequest(3, Optional.of("needs a filter"))),
        // maintenance
        Arguments.of("OPTIMIZE TABLE t", new OptimizeTable(java.util.List.of("t"))),
        Arguments.of("optimize table sales.\"Öl Preise\"", new OptimizeTable(java.util.List.of("sales", "Öl Preise"))),
        Arguments.of("OPTIMIZE TABLE dev.sales.t;", new OptimizeTable(java.util.List.of("dev", "sales", "t"))),
        Arguments.of("OPTIMIZE TABLE t WHERE day >= DATE '2024-01-01' AND country IN ('IT', 'DE')",
            new OptimizeTable(java.util.List.of("t"), java.util.List.of(
                new ColumnFilter("day", ColumnFilter.Op.GT_EQ,
                    java.util.List.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.DATE, "2024-01-01"))),
                new ColumnFilter("country", ColumnFilter.Op.IN, java.util.List.of(
                    new ColumnFilter.Literal(ColumnFilter.Literal.Kind.STRING, "IT"),
                    new ColumnFilter.Literal(ColumnFilter.Literal.Kind.STRING, "DE")))))),
        Arguments.of("VACUUM", new dev.tarn.sql.command.Vacuum(false)),
        Arguments.of("vacuum dry run;", new dev.tarn.sql.command.Vacuum(true)),
        Arguments.of("EXPIRE SNAPSHOTS", new dev.tarn.sql.command.ExpireSnapshots(Optional.empty(),
            java.util.OptionalInt.empty(), false)),
        Arguments.of("EXPIRE SNAPSHOTS OLDER THAN '2026-11-01 00:00:00' RETAIN LAST 5 DRY RUN",
            new dev.tarn.sql.command.ExpireSnapshots(Optional.of("2026-11-01 00:00:00"),
                java.util.OptionalInt.of(5), true)),
        Arguments.of("expire snapshots retain last 1", new dev.tarn.sql.command.ExpireSnapshots(Optional.empty(),
            java.util.OptionalInt.of(1), false)),
        Arguments.of("OPTIMIZE TABLE t WHERE t.id BETWEEN 1 AND 9",
            new OptimizeTable(java.util.List.of("t"), java.util.List.of(
                new ColumnFilter("id", ColumnFilter.Op.GT_EQ,
                    java.util.List.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.NUMBER, "1"))),
                new ColumnFilter("id", ColumnFilter.Op.LT_EQ,
                    java.util.List.of(new ColumnFilter.Literal(ColumnFilter.Literal.Kind.NUMBER, "9")))))));
  }

  @Test
  void optimizeStaysANameAndRefusesConditionsStatisticsCannotDecide() {
    ParsedStatement query = FRONTEND.parse("SELECT optimize FROM optimize WHERE optimize > 1");
    assertEquals(StatementKind.QUERY, query.kind());
    assertTrue(query.parsedByCalcite());
    assertEquals(StatementKind.DDL, FRONTEND.parse("CREATE TABLE optimize (optimize INT)").kind());
    for (String condition : java.util.List.of("day > DATE '2024-01-01' OR id = 1", "lower(name) = 'x'",
        "a = b", "id IN (SELECT id FROM other)", "NOT id = 1", "id = 1 AND (x = 2 OR y = 3)")) {
      SqlSyntaxException where = org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class,
          () -> FRONTEND.parse("OPTIMIZE TABLE t WHERE " + condition), condition);
      assertTrue(where.getMessage().contains("comparisons of the table's columns with constants"),
          where.getMessage());
    }
    SqlSyntaxException noName = org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class,
        () -> FRONTEND.parse("OPTIMIZE TABLE"));
    assertTrue(noName.getMessage().contains("Encountered") || noName.getMessage().contains("expect"),
        noName.getMessage());
  }

  @Test
  void housekeepingWordsStayNamesAndRetainLastCountsCommits() {
    ParsedStatement query = FRONTEND.parse(
        "SELECT vacuum, expire, snapshots, older, than, retain FROM snapshots WHERE older > 1");
    assertEquals(StatementKind.QUERY, query.kind());
    for (String bad : java.util.List.of("EXPIRE SNAPSHOTS RETAIN LAST 0", "EXPIRE SNAPSHOTS RETAIN LAST 1.5",
        "EXPIRE SNAPSHOTS RETAIN LAST 99999999999")) {
      SqlSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class,
          () -> FRONTEND.parse(bad), bad);
      assertTrue(e.getMessage().contains("RETAIN LAST must be a whole number"), e.getMessage());
    }
  }

  @Test
  void mergeRequestWordsStayNames() {
    ParsedStatement query = FRONTEND.parse(
        "SELECT title, project, reason, request, requests, approve, reject FROM requests WHERE title = 'x'");
    assertEquals(StatementKind.QUERY, query.kind());
    assertTrue(query.parsedByCalcite());
    assertEquals(StatementKind.DML, FRONTEND.parse("MERGE INTO t USING s ON t.id = s.id "
        + "WHEN MATCHED THEN UPDATE SET title = s.title").kind());
  }

  @Test
  void aMergeRequestNumberIsAWholeNumberFromOne() {
    for (String bad : new String[] {"APPROVE MERGE REQUEST 0", "APPROVE MERGE REQUEST 1.5",
        "REJECT MERGE REQUEST -2", "APPROVE MERGE REQUEST 99999999999999999999"}) {
      SqlSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(SqlSyntaxException.class,
          () -> FRONTEND.parse(bad), bad);
      assertTrue(e.getMessage().contains("whole number") || e.getMessage().contains("Encountered"), e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void parses(String sql, TarnCommand expected) {
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.TARN_COMMAND, parsed.kind());
    assertTrue(parsed.parsedByCalcite());
    assertTrue(parsed.tables().isEmpty());
    assertEquals(Optional.of(expected), parsed.command());
    assertFalse(parsed.returnsRows());
  }

  @Test
  void runPipelineOptionsKeepTheirOrderAndText() {
    RunPipeline run = (RunPipeline) FRONTEND.parse(
        "RUN PIPELINE 'proj' ON BRANCH \"feature/x\" WITH (dry_run = false, param.x = 'v', param.n = -1.50, \"Param\".\"Y\" = 7)")
        .command().orElseThrow();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("dry_run", "false");
    expected.put("param.x", "v");
    expected.put("param.n", "-1.50");
    expected.put("Param.Y", "7");
    assertEquals(expected, run.options());
    assertEquals(java.util.List.copyOf(expected.keySet()), java.util.List.copyOf(run.options().keySet()));
    assertEquals(Optional.of("feature/x"), run.branch());
  }

  @Test
  void statementNamesForMessages() {
    assertEquals("CREATE TAG", FRONTEND.parse("CREATE TAG v1").command().orElseThrow().statementName());
    assertEquals("MERGE BRANCH", FRONTEND.parse("MERGE BRANCH dev").command().orElseThrow().statementName());
    assertEquals("SHOW BRANCHES", FRONTEND.parse("SHOW BRANCHES").command().orElseThrow().statementName());
    assertEquals("SHOW BRANCHES ALL", FRONTEND.parse("SHOW BRANCHES ALL").command().orElseThrow().statementName());
    assertEquals("USE REFERENCE", FRONTEND.parse("USE REFERENCE r").command().orElseThrow().statementName());
  }

  @Test
  void oneFrontendServesManyThreads() {
    java.util.List<Arguments> cases = statements().toList();
    java.util.stream.IntStream.range(0, 2000).parallel().forEach(i -> {
      Object[] c = cases.get(i % cases.size()).get();
      assertEquals(Optional.of(c[1]), FRONTEND.parse((String) c[0]).command());
      assertEquals(StatementKind.QUERY, FRONTEND.parse("SELECT * FROM t" + (i % 7) + " AT BRANCH dev").kind());
    });
  }

  @Test
  void trailingSemicolonAndCommentsAreFine() {
    assertEquals(Optional.of(new ShowRuns()), FRONTEND.parse("  -- runs\n  SHOW RUNS ; ").command());
    assertEquals(Optional.of(new ShowRuns()), FRONTEND.parse("/* x */ show /* y */ runs;;").command());
  }
}
