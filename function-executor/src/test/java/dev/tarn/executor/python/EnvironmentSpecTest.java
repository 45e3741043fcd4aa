package dev.tarn.executor.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSpecTest {

  @Test
  void hashIgnoresPinOrderAndNameSpelling() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("polars", "1.33.0");
    a.put("Scikit_Learn", "1.5.0");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("scikit-learn", "1.5.0");
    b.put("polars", "1.33.0");
    assertEquals(EnvironmentSpec.of("3.11", a).hash(), EnvironmentSpec.of("3.11", b).hash());
    assertEquals(16, EnvironmentSpec.of("3.11", a).hash().length());
    assertEquals("[polars==1.33.0, scikit-learn==1.5.0]", EnvironmentSpec.of("3.11", a).requirements().toString());
  }

  @Test
  void hashChangesWithVersionOrPins() {
    String base = EnvironmentSpec.of("3.11", Map.of("polars", "1.33.0")).hash();
    assertNotEquals(base, EnvironmentSpec.of("3.12", Map.of("polars", "1.33.0")).hash());
    assertNotEquals(base, EnvironmentSpec.of("3.11", Map.of("polars", "1.32.0")).hash());
    assertNotEquals(base, EnvironmentSpec.of("3.11", Map.of()).hash());
  }

  @Test
  void rejectsWhatIsNotAnExactPin() {
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> EnvironmentSpec.of("3.11", Map.of("polars", ">=1.0")));
    assertTrue(e.getMessage().contains("polars"), e.getMessage());
    assertThrows(EnvironmentException.class, () -> EnvironmentSpec.of("3.11", Map.of("--index-url", "x")));
    assertThrows(EnvironmentException.class, () -> EnvironmentSpec.of("python3", Map.of()));
  }
}
