package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.pipeline.PlannedStep.MaterializeStep;
import dev.tarn.executor.pipeline.PlannedStep.SqlModelStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project files written for Bauplan: bauplan_project.yml, typed parameters, $name in SQL models. */
class BauplanProjectTest {
  private static final String PROJECT = """
      project:
        id: 5b0f3c8e-2d41-4a7e-9c1f-8e6d2a9b4c70
        name: shop
      parameters:
        min_usd:
          type: float
          default: 50
          description: smallest amount kept
        top_n:
          type: int
          default: 3
        eu_only:
          type: bool
          default: true
        country:
          type: str
          default: 0123
        token:
          type: secret
          required: true
        note:
          type: str
        legacy: IT
      """;

  @TempDir Path dir;

  private Project load(String projectFile, String yaml) throws IOException {
    Files.writeString(dir.resolve(projectFile), yaml);
    Files.writeString(dir.resolve("big.sql"), """
        -- keeps what the run asks for
        -- bauplan: materialization_strategy = APPEND
        SELECT id, usd FROM orders WHERE usd >= $min_usd AND country <> $country AND '$not_a_parameter' <> $country
        """);
    return ProjectLoader.load(dir, FrontendSqlInspector.INSTANCE);
  }

  @Test
  void bauplanProjectFileWithTypedParameters() throws IOException {
    Project project = load("bauplan_project.yml", PROJECT);
    assertEquals("shop", project.name());
    Map<String, ProjectParameter> p = project.parameters();
    assertEquals(new ProjectParameter("min_usd", ParameterType.FLOAT, 50.0, false, "smallest amount kept"),
        p.get("min_usd"));
    assertEquals(3L, p.get("top_n").defaultValue());
    assertEquals(Boolean.TRUE, p.get("eu_only").defaultValue());
    assertEquals("0123", p.get("country").defaultValue(), "a str default stays as written");
    assertTrue(p.get("token").required());
    assertNull(p.get("note").defaultValue());
    assertEquals(new ProjectParameter("legacy", ParameterType.STR, "IT", false, null), p.get("legacy"));
  }

  @Test
  void runValuesAreConvertedToTheDeclaredTypes() throws IOException {
    Project project = load("bauplan_project.yaml", PROJECT);
    PipelinePlan plan = new PipelinePlanner().plan(project,
        Map.of("top_n", "7", "min_usd", 2, "eu_only", "False", "token", "s3cr3t"));
    Map<String, Object> values = plan.parameters();
    assertEquals(7L, values.get("top_n"));
    assertEquals(2.0, values.get("min_usd"));
    assertEquals(Boolean.FALSE, values.get("eu_only"));
    assertEquals("s3cr3t", values.get("token"));
    assertTrue(values.containsKey("note") && values.get("note") == null, "no default, not required: None");

    SqlModelStep big = (SqlModelStep) plan.step("big");
    assertEquals(List.of("min_usd", "country", "country"), big.parameterOrder());
    assertEquals(Map.of("min_usd", 2.0, "country", "0123"), big.parameters());
    assertTrue(big.sql().contains("usd >= ? AND country <> ?") && big.sql().contains("'$not_a_parameter'"),
        big.sql());
    assertEquals(Materialization.APPEND, ((MaterializeStep) plan.step("materialize:big")).mode());
  }

  @Test
  void aValueOfTheWrongTypeNamesTheParameterTheTypeAndTheValue() throws IOException {
    Project project = load("bauplan_project.yml", PROJECT);
    Map<String, Object> base = Map.of("token", "t");
    for (Map.Entry<String, Object> wrong : List.<Map.Entry<String, Object>>of(Map.entry("top_n", "3.5"),
        Map.entry("top_n", 2.5), Map.entry("top_n", "99999999999999999999"), Map.entry("min_usd", "NaN"),
        Map.entry("min_usd", "1e999"), Map.entry("eu_only", "yes"), Map.entry("eu_only", 1))) {
      Map<String, Object> given = new java.util.HashMap<>(base);
      given.put(wrong.getKey(), wrong.getValue());
      PipelinePlanException e = assertThrows(PipelinePlanException.class,
          () -> new PipelinePlanner().plan(project, given), wrong.toString());
      String type = project.parameters().get(wrong.getKey()).type().declared();
      assertTrue(e.getMessage().contains("'" + wrong.getKey() + "'") && e.getMessage().contains(type)
          && e.getMessage().contains(String.valueOf(wrong.getValue())), e.getMessage());
    }
    PipelinePlanException missing = assertThrows(PipelinePlanException.class,
        () -> new PipelinePlanner().plan(project, Map.of()));
    assertTrue(missing.getMessage().contains("'token'"), missing.getMessage());
  }

  @Test
  void badDeclarationsAreRefusedNamingTheParameter() throws IOException {
    String[][] cases = {
        {"parameters:\n  n:\n    type: int\n    default: ten\n", "'n' is declared int, and 'ten' is not an int"},
        {"parameters:\n  n:\n    type: decimal\n", "type 'decimal'; the types are int, float, bool, str, secret"},
        {"parameters:\n  n:\n    type: int\n    defualt: 3\n", "unknown key 'defualt'"},
        {"parameters:\n  k:\n    type: secret\n    default: gAAAA\n    key: aws-kms\n", "encrypted by Bauplan"},
        {"parameters:\n  n:\n    type: int\n    required: maybe\n", "must be true or false"},
        {"project: shop\n", "'project' must be a mapping"},
    };
    for (String[] c : cases) {
      PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> load("bauplan_project.yml", c[0]));
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
      assertTrue(e.getMessage().contains("bauplan_project.yml"), e.getMessage());
    }
  }

  @Test
  void twoProjectFilesAreAnError() throws IOException {
    Files.writeString(dir.resolve("tarn_project.yml"), "name: a\n");
    PipelinePlanException e = assertThrows(PipelinePlanException.class, () -> load("bauplan_project.yml", PROJECT));
    assertTrue(e.getMessage().contains("tarn_project.yml and bauplan_project.yml"), e.getMessage());
  }

  @Test
  void sqlModelHeaderAndParameterErrors() throws IOException {
    Files.writeString(dir.resolve("m.sql"), "-- bauplan: materialization_strategy=OVERWRITE_PARTITIONS\nSELECT 1 AS x\n");
    PipelinePlanException strategy = assertThrows(PipelinePlanException.class,
        () -> ProjectLoader.load(dir, FrontendSqlInspector.INSTANCE));
    assertTrue(strategy.getMessage().contains("OVERWRITE_PARTITIONS") && strategy.getMessage().contains("APPEND"),
        strategy.getMessage());
    for (String query : List.of("SELECT ? AS x", "SELECT $1 AS x", "SELECT $ x AS x")) {
      Files.writeString(dir.resolve("m.sql"), query);
      PipelinePlanException e = assertThrows(PipelinePlanException.class,
          () -> ProjectLoader.load(dir, FrontendSqlInspector.INSTANCE), query);
      assertTrue(e.getMessage().contains("m.sql") && e.getMessage().contains("$"), e.getMessage());
    }
  }
}
