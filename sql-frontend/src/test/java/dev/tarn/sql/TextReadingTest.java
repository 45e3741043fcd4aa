package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What other modules ask of statement text, answered here so that no other module reads SQL. */
class TextReadingTest {
  private final TarnSqlFrontend frontend = new TarnSqlFrontend();

  @Test
  void useNamesItsTargetUnquoted() {
    assertEquals(Optional.of(List.of("sales")), frontend.parse("USE sales").useTarget());
    assertEquals(Optional.of(List.of("sales")), frontend.parse("use sales ;;").useTarget());
    assertEquals(Optional.of(List.of("dev", "Odd \"name\"")),
        frontend.parse("USE /* c */ dev . \"Odd \"\"name\"\"\" -- trailing").useTarget());
    assertEquals(Optional.of(List.of()), frontend.parse("USE a b").useTarget());
    assertEquals(Optional.of(List.of()), frontend.parse("USE a.").useTarget());
    assertEquals(Optional.of(List.of()), frontend.parse("USE 'sales'").useTarget());
    assertEquals(Optional.empty(), frontend.parse("SELECT 1").useTarget());
    assertEquals(Optional.empty(), frontend.parse("USE BRANCH dev").useTarget());
  }

  @Test
  void namesInAFilterAreItsIdentifiersNotItsStringsOrComments() {
    assertEquals(Optional.of(Set.of("EVENTTIME")), frontend.namesIn("EVENTTIME >= '2023-01-01 country'"));
    assertEquals(Optional.of(Set.of("country", "id")),
        frontend.namesIn("\"country\" = 'IT' AND t.id > 1e5 -- eventTime"));
    assertEquals(Optional.of(Set.of("a")), frontend.namesIn("lower(a) LIKE 'x%' /* b */"));
  }

  @Test
  void aFilterOutsideTarnsGrammarsHasNoKnownNames() {
    assertEquals(Optional.empty(), frontend.namesIn("a ->> '$.x' = 1 AND list_filter(l, x -> x > 1) IS NOT NULL"));
    assertEquals(Optional.of(Set.of("a")), frontend.namesIn("a = 1) OR (1 = 1")); // still one condition
    assertEquals(Optional.empty(), frontend.namesIn("a = = 1"));
  }

  @Test
  void aModelFileHasHeaderOptionsAndAQueryWithoutItsSemicolons() {
    ModelText model = ModelText.read("-- tarn: materialize=true, Schema=out\nSELECT 1 AS x; ;\n");
    assertEquals(Map.of("materialize", "true", "schema", "out"), model.options());
    assertEquals("-- tarn: materialize=true, Schema=out\nSELECT 1 AS x", model.query());
    assertEquals(Map.of(), ModelText.read("SELECT ';' -- x;").options());
    assertEquals("SELECT ';'", ModelText.read("SELECT ';' -- x;").query());
    assertTrue(ModelText.read("-- only a comment\n;").query().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> ModelText.read("-- tarn: materialize\nSELECT 1"));
  }

  @Test
  void snippetsAreOneBoundedLine() {
    assertEquals("a b c", Snippets.oneLine("  a\n\tb   c ", 80));
    assertEquals("abcdefg...", Snippets.oneLine("abcdefghijklmnop", 10));
  }

  @Test
  void accessStatementsLoseTheirSecretsWhetherOrNotTheyParse() {
    assertEquals("CREATE USER ana PASSWORD '***' IN ROLE r", Snippets.withoutSecrets("CREATE USER ana PASSWORD 's3cret' IN ROLE r"));
    assertEquals("alter user ana password '***'", Snippets.withoutSecrets("alter user ana password 'it''s'"));
    assertEquals("CREATE USER ana PASSWORD '***' garbage", Snippets.withoutSecrets("CREATE USER ana PASSWORD 'x' garbage"));
    assertEquals("SELECT 'keep'", Snippets.withoutSecrets("SELECT 'keep'"));
    // the first words are found past any number of parentheses and comments
    String wrapped = "(".repeat(40) + "/* c */ CREATE -- c\n USER ana PASSWORD 's3cret'";
    assertEquals("(".repeat(40) + "/* c */ CREATE -- c\n USER ana PASSWORD '***'", Snippets.withoutSecrets(wrapped));
  }
}
