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
    Map<String, Object> y = ProjectYaml.parse("""
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
    assertThrows(PipelinePlanException.class, () -> ProjectYaml.parse("a:\n  - x\n", "f"));
  }

  @Test
  void scalarsAreKeptAsWritten() {
    Map<String, Object> y = ProjectYaml.parse("""
        python: {version: 3.10}
        parameters:
          zip: 0123
          flag: yes
          big: 1e3
          quoted: "caf\\u00e9 \\"q\\""
          single: 'it''s'
          note: |
            two
            lines
          empty: ~
        """, "x");
    assertEquals(Map.of("version", "3.10"), y.get("python"), "a version is not read as the number 3.1");
    Map<?, ?> params = (Map<?, ?>) y.get("parameters");
    assertEquals("0123", params.get("zip"));
    assertEquals("yes", params.get("flag"));
    assertEquals("1e3", params.get("big"));
    assertEquals("caf\u00e9 \"q\"", params.get("quoted"));
    assertEquals("it's", params.get("single"));
    assertEquals("two\nlines\n", params.get("note"));
    assertTrue(params.containsKey("empty") && params.get("empty") == null);
    assertEquals(Map.of(), ProjectYaml.parse("# nothing but a comment\n", "x"));
  }

  @Test
  void badProjectFilesNameTheFileTheLineAndTheProblem() throws IOException {
    Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
    expected.put("name: p\nschema: \"open\n", List.of("line 2", "quoted scalar"));
    expected.put("name: p\n\tschema: s\n", List.of("line 2", "TAB"));
    expected.put("name: p\nname: q\n", List.of("line 2", "duplicate key 'name'"));
    expected.put("name: p\nparameters:\n  - a\n", List.of("line 3", "only mappings of scalars"));
    expected.put("python:\n  version: 3.12\n os: linux\n", List.of("line 3", "inconsistent indentation"));
    expected.put("name: a: b\n", List.of("line 1", "mapping values are not allowed", "needs quotes"));
    expected.put("name: p\n  schema: s\n", List.of("line 2", "indented under a key that already has a value"));
    expected.put("base: &b x\nname: *b\n", List.of("line 2", "aliases"));
    expected.put("- a\n", List.of("line 1", "mapping of keys to values"));
    expected.put("name: p\n---\nname: q\n", List.of("only one YAML document"));
    expected.put("name:\n  first: p\n", List.of("'name' must be a single value"));
    expected.put("parameters: x\n", List.of("parameters must be a mapping"));
    expected.put("parameters:\n  a:\n    b: 1\n", List.of("parameter 'a' has unknown key 'b'", "type, default"));
    expected.put("timeout_seconds: soon\n", List.of("timeout_seconds must be a whole number", "soon"));
    expected.put("schema: 'no spaces'\n", List.of("schema 'no spaces' is not a valid identifier"));
    for (Map.Entry<String, List<String>> bad : expected.entrySet()) {
      Files.writeString(dir.resolve("tarn_project.yml"), bad.getKey());
      PipelinePlanException e = assertThrows(PipelinePlanException.class,
          () -> ProjectLoader.load(dir, FrontendSqlInspector.INSTANCE), bad.getKey());
      assertTrue(e.getMessage().contains(dir.resolve("tarn_project.yml").toString()), e.getMessage());
      for (String part : bad.getValue()) {
        assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
      }
    }
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
