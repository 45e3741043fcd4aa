package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLoaderTest {
  @TempDir Path dir;

  @Test
  void yamlSubset() {
    Map<String, Object> y = SimpleYaml.parse("""
        # comment
        name: demo   # trailing
        schema: 'sales'
        python:
          version: "3.12"
        parameters:
          a: 1
          b:
        timeout_seconds: 30
        """, "x");
    assertEquals("demo", y.get("name"));
    assertEquals("sales", y.get("schema"));
    assertEquals(Map.of("version", "3.12"), y.get("python"));
    Map<?, ?> params = (Map<?, ?>) y.get("parameters");
    assertEquals("1", params.get("a"));
    assertTrue(params.containsKey("b") && params.get("b") == null);
    assertEquals("30", y.get("timeout_seconds"));
    assertThrows(PipelinePlanException.class, () -> SimpleYaml.parse("a:\n  - x\n", "f"));
  }

  @Test
  void sqlOnlyProjectNeedsNoPython() throws IOException {
    Files.writeString(dir.resolve("tarn_project.yml"), "name: p\nschema: s\npython:\n  version: 3.11\ntimeout_seconds: 5\n");
    Files.writeString(dir.resolve("agg.sql"), "-- tarn: materialize=true, schema=out\nSELECT * FROM t\n");
    Project project = new ProjectLoader(null, FrontendSqlInspector.INSTANCE).loadProject(dir);
    assertEquals("s", project.schema());
    assertEquals("3.11", project.defaultPythonVersion());
    assertEquals(Duration.ofSeconds(5), project.timeout());
    ModelDefinition agg = project.definitions().get(0);
    assertEquals("agg", agg.name());
    assertTrue(agg.materialize());
    assertEquals(List.of("t"), agg.inputs().stream().map(DeclaredInput::name).toList());
    PipelinePlan plan = new PipelinePlanner().plan(project, Map.of());
    assertEquals(List.of("scan:s.t", "agg", "materialize:agg"), plan.order());
    assertEquals(new TableName("out", "agg"), ((PlannedStep.MaterializeStep) plan.step("materialize:agg")).targetTable());
  }

  @Test
  void badSqlHeaderAndBrokenPythonAreNamed() throws IOException {
    Files.writeString(dir.resolve("bad.sql"), "-- tarn: materialise=true\nSELECT 1\n");
    PipelinePlanException e = assertThrows(PipelinePlanException.class,
        () -> ProjectLoader.load(dir, FrontendSqlInspector.INSTANCE));
    assertTrue(e.getMessage().contains("bad.sql") && e.getMessage().contains("materialise"), e.getMessage());
    Files.delete(dir.resolve("bad.sql"));
    Files.writeString(dir.resolve("broken.py"), "import tarn\nraise RuntimeError('boom')\n");
    e = assertThrows(PipelinePlanException.class, () -> ProjectLoader.load(dir, FrontendSqlInspector.INSTANCE));
    assertTrue(e.getMessage().contains("broken.py") && e.getMessage().contains("boom"), e.getMessage());
  }
}
