package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.pipeline.PlannedStep.ExpectationStep;
import dev.tarn.executor.pipeline.PlannedStep.MaterializeStep;
import dev.tarn.executor.pipeline.PlannedStep.PythonModelStep;
import dev.tarn.executor.pipeline.PlannedStep.ScanStep;
import dev.tarn.executor.pipeline.PlannedStep.SqlModelStep;
import dev.tarn.executor.python.EnvironmentSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Real project folders, discovered with a real Python ({@code python -m tarn.discover}). */
class PipelinePlannerTest {
  static Path project(String name) {
    try {
      return Path.of(PipelinePlannerTest.class.getResource("/pipelines/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static PipelinePlan plan(String name, Map<String, String> params) {
    return new PipelinePlanner().plan(ProjectLoader.load(project(name), FrontendSqlInspector.INSTANCE), params);
  }

  private static void assertSeed(PipelinePlan plan) {
    assertEquals(List.of("scan:public.transactions", "euro_selection", "usd_by_country", "materialize:usd_by_country"),
        plan.order());
    ScanStep scan = (ScanStep) plan.step("scan:public.transactions");
    assertEquals(new TableName("public", "transactions"), scan.table());
    assertEquals(List.of("id", "usd", "country"), scan.columns());
    assertEquals("eventTime BETWEEN '2023-01-01' AND '2023-02-01'", scan.filter());
    PythonModelStep euro = (PythonModelStep) plan.step("euro_selection");
    EnvironmentSpec env = EnvironmentSpec.of("3.11", Map.of("polars", "1.33.0"));
    assertEquals(env, euro.environment());
    assertEquals("euro_selection", euro.function());
    assertEquals(Set.of("scan:public.transactions"), euro.dependsOn());
    assertEquals("data", euro.inputs().get(0).argument());
    assertEquals(List.of("id", "usd", "country"), euro.inputs().get(0).columns());
    assertEquals(Project.DEFAULT_TIMEOUT, euro.timeout());
    PythonModelStep usd = (PythonModelStep) plan.step("usd_by_country");
    assertEquals(env, usd.environment());
    assertEquals(env.hash(), usd.environment().hash(), "same spec, same environment");
    assertEquals(Set.of("euro_selection"), usd.dependsOn());
    assertNull(usd.inputs().get(0).columns());
    assertEquals(new MaterializeStep("usd_by_country", new TableName("public", "usd_by_country")),
        plan.step("materialize:usd_by_country"));
    assertEquals(List.of(List.of("scan:public.transactions"), List.of("euro_selection"), List.of("usd_by_country"),
        List.of("materialize:usd_by_country")), plan.waves());
  }

  @Test
  void seedProject() {
    PipelinePlan plan = plan("seed", Map.of());
    assertSeed(plan);
    assertEquals("seed", plan.project().name());
    assertEquals("public", plan.project().schema());
  }

  @Test
  void bauplanProjectPlansTheSame() {
    assertSeed(plan("seed_bauplan", Map.of()));
  }

  @Test
  void mixedSqlPythonSql() {
    Predicate<TableName> exists = t -> Set.of("raw.transactions", "analytics.fx_rates", "analytics.countries")
        .contains(t.toString());
    PipelinePlan plan = new PipelinePlanner(exists::test)
        .plan(ProjectLoader.load(project("mixed"), FrontendSqlInspector.INSTANCE), Map.of());
    assertEquals("mixed_demo", plan.project().name());
    // definition order is Python files, then SQL files (each by file name); scans precede their readers
    assertEquals(List.of("scan:analytics.fx_rates", "scan:raw.transactions", "scan:analytics.countries", "recent",
        "scored", "summary", "materialize:summary"), plan.order());
    SqlModelStep recent = (SqlModelStep) plan.step("recent");
    assertEquals(Set.of("scan:raw.transactions"), recent.dependsOn(), "CTE 'bounds' is not an input");
    PythonModelStep scored = (PythonModelStep) plan.step("scored");
    assertEquals(EnvironmentSpec.of("3.11", Map.of()), scored.environment(), "project default version");
    assertEquals(Set.of("recent", "scan:analytics.fx_rates"), scored.dependsOn());
    assertEquals(List.of("id", "usd"), scored.inputs().get(0).columns());
    SqlModelStep summary = (SqlModelStep) plan.step("summary");
    assertEquals(Set.of("scored", "scan:analytics.countries"), summary.dependsOn());
    assertTrue(summary.sql().startsWith("-- tarn: materialize=true"));
    assertTrue(!summary.sql().endsWith(";"));
    assertEquals(new TableName("analytics", "summary"),
        ((MaterializeStep) plan.step("materialize:summary")).targetTable());
    // all three scans are independent: the first wave
    assertEquals(List.of("scan:analytics.fx_rates", "scan:raw.transactions", "scan:analytics.countries"),
        plan.waves().get(0));
    assertEquals(List.of("recent"), plan.ready(plan.waves().get(0)).stream().map(PlannedStep::id).toList());
  }

  @Test
  void cycleIsRejectedNamingItsModels() {
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> plan("cycle", Map.of()));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    assertTrue(e.getMessage().contains("[alpha, beta, gamma]"), e.getMessage());
  }

  @Test
  void unknownInputIsRejected() {
    Project project = ProjectLoader.load(project("unknown_input"), FrontendSqlInspector.INSTANCE);
    new PipelinePlanner().plan(project, Map.of()); // without a catalog: any valid name is a table
    PipelinePlanException e = assertThrows(PipelinePlanException.class,
        () -> new PipelinePlanner(t -> t.name().equals("transactions")).plan(project, Map.of()));
    assertTrue(e.getMessage().contains("reader") && e.getMessage().contains("'no_such_table'"), e.getMessage());
  }

  @Test
  void duplicateNamesNameBothFiles() {
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> plan("duplicates", Map.of()));
    assertTrue(e.getMessage().contains("'totals'") && e.getMessage().contains("first.py")
        && e.getMessage().contains("totals.sql"), e.getMessage());
  }

  @Test
  void parameters() {
    {
      PipelinePlanException missing = assertThrows(PipelinePlanException.class, () -> plan("parameters", Map.of()));
      assertTrue(missing.getMessage().contains("'month'") && missing.getMessage().contains("by_country"),
          missing.getMessage());
    }
    PipelinePlan plan = plan("parameters", Map.of("month", "2023-01"));
    PythonModelStep m = (PythonModelStep) plan.step("by_country");
    assertEquals(Map.of("country", "IT", "month", "2023-01"), m.parameters());
    assertEquals(EnvironmentSpec.of("3.11", Map.of()), m.environment());
    PipelinePlan overridden = plan("parameters", Map.of("month", "2023-02", "country", "FR"));
    assertEquals("FR", ((PythonModelStep) overridden.step("by_country")).parameters().get("country"));
    ExpectationStep expect = (ExpectationStep) plan.step("expectation:not_empty");
    assertEquals(Set.of("by_country"), expect.dependsOn());
    assertEquals(EnvironmentSpec.of("3.11", Map.of("pandas", "2.2.3")), expect.environment());
    assertEquals(List.of("scan:public.transactions", "by_country", "expectation:not_empty"), plan.order());
    PipelinePlanException unknown = assertThrows(PipelinePlanException.class,
        () -> plan("parameters", Map.of("month", "x", "colour", "red")));
    assertTrue(unknown.getMessage().contains("'colour'"), unknown.getMessage());
  }

  @Test
  void pythonModelWithoutVersionNeedsAProjectDefault() {
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> plan("no_version", Map.of()));
    assertTrue(e.getMessage().contains("unversioned") && e.getMessage().contains("Python version"), e.getMessage());
    Project p = ProjectLoader.load(project("no_version"), FrontendSqlInspector.INSTANCE);
    Project withDefault = new Project(p.directory(), p.name(), p.schema(), "3.11", p.parameters(),
        Duration.ofSeconds(30), p.definitions());
    PythonModelStep step = (PythonModelStep) new PipelinePlanner().plan(withDefault, Map.of()).step("unversioned");
    assertEquals("3.11", step.environment().pythonVersion());
    assertEquals(Duration.ofSeconds(30), step.timeout());
  }
}
