package dev.tarn.bench.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tarn.bench.QuickRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B5 once through the command line: tiny packages (plus the pyarrow every Tarn
 * environment gets) from the package index, into a new cache folder and fresh pip environments,
 * every environment's versions checked. Timings are never asserted.
 */
class EnvBenchmarkTest {

  @Test
  void quickEnvAssemblesColdAddedAndWarmAndWritesItsResults(@TempDir Path out) throws Exception {
    QuickRun run = QuickRun.of("env", out);
    assertEquals(List.of("env.cold", "env.add_package", "env.warm", "env.add_package_vs_pip_add"), run.resultNames());
    Map<?, ?> cold = (Map<?, ?>) run.results().get(0);
    Map<?, ?> parameters = (Map<?, ?>) cold.get("parameters");
    assertEquals("python 3.11 with six==1.17.0", parameters.get("spec"));
    assertEquals(List.of("idna==3.10"), parameters.get("added"));
    for (String step : List.of("tarn_cold", "tarn_add_package", "tarn_warm", "pip_fresh_spec", "pip_add_to_existing",
        "pip_fresh_spec_plus_package")) {
      assertEquals(1, ((List<?>) parameters.get(step + "_seconds")).size(), step);
    }
    assertEquals("< 5 s", ((Map<?, ?>) run.results().get(1)).get("goal"));
    assertEquals("< 0.5 s", ((Map<?, ?>) run.results().get(2)).get("goal"));
  }

  @Test
  void pinsAreExactAndNormalized() {
    assertEquals(Map.of("polars", "1.33.0", "python-dateutil", "2.9.0"),
        EnvBenchmark.pins("polars==1.33.0, Python_DateUtil==2.9.0"));
    assertThrows(IllegalArgumentException.class, () -> EnvBenchmark.pins("polars>=1.0"));
  }
}
