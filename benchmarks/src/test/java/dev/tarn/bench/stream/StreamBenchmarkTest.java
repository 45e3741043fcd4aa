package dev.tarn.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B1 once through the command line, as {@code ./tarn bench stream --quick} does, and
 * checks its answers and its result file. Timings are never asserted.
 */
class StreamBenchmarkTest {

  @Test
  void quickStreamChecksEveryAnswerAndWritesItsResults(@TempDir Path out) throws IOException {
    QuickRun run = QuickRun.of("stream", out);
    String text = run.printed();
    assertTrue(text.contains("stream.native_vs_arrow_export"), text);
    assertTrue(text.contains("every side saw 200,000 rows"), text);
    Map<String, Object> doc = run.doc();
    assertEquals("stream", doc.get("benchmark"));
    assertEquals(Boolean.TRUE, doc.get("quick"));
    Map<?, ?> machine = (Map<?, ?>) doc.get("machine");
    assertEquals(Runtime.getRuntime().availableProcessors(), machine.get("cores"));
    List<?> results = (List<?>) doc.get("results");
    assertEquals(List.of("stream.native_vs_arrow_export", "stream.jdbc_vs_duckdb_jdbc",
        "stream.tarn_jdbc_vs_duckdb_jdbc", "stream.native_vs_duckdb_jdbc"), results.stream().map(r -> ((Map<?, ?>) r).get("name")).toList());
    for (Object r : results) {
      Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) r).get("parameters");
      assertEquals(200_000, ((Number) parameters.get("rows")).intValue());
      Map<?, ?> checksum = (Map<?, ?>) parameters.get("checksum");
      assertEquals(200_000L * 199_999L, ((Number) checksum.get("sum_a")).longValue());
      // The result's Arrow size: four 8-byte columns plus their validity bitmaps.
      long arrowBytes = ((Number) parameters.get("arrow_bytes")).longValue();
      assertTrue(arrowBytes >= 200_000L * 32 && arrowBytes < 200_000L * 34, "arrow_bytes " + arrowBytes);
    }
  }
}
