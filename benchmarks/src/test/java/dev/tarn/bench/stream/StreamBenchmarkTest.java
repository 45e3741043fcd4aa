package dev.tarn.bench.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.BenchMain;
import dev.tarn.bench.Report;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B1 once through the command line, as {@code ./tarn bench stream --quick} does, and
 * checks its answers and its result file. Timings are never asserted.
 */
class StreamBenchmarkTest {

  @Test
  void quickStreamChecksEveryAnswerAndWritesItsResults(@TempDir Path out) throws IOException {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status;
    try (PrintStream stdout = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      status = BenchMain.execute(stdout, "stream", "--quick", "--out", out.toString());
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    assertTrue(text.contains("stream.native_vs_arrow_export"), text);
    assertTrue(text.contains("every side saw 200,000 rows"), text);

    Path file;
    try (Stream<Path> files = Files.list(out)) {
      // the run also writes its chart (.svg) next to the JSON
      List<Path> all = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertEquals(1, all.size(), all.toString());
      file = all.get(0);
    }
    assertTrue(file.getFileName().toString().endsWith("-stream-quick.json"), file.toString());

    Map<String, Object> doc = Report.readJson(file);
    assertEquals("stream", doc.get("benchmark"));
    assertEquals(Boolean.TRUE, doc.get("quick"));
    Map<?, ?> machine = (Map<?, ?>) doc.get("machine");
    assertEquals(Runtime.getRuntime().availableProcessors(), machine.get("cores"));
    List<?> results = (List<?>) doc.get("results");
    assertEquals(List.of("stream.native_vs_arrow_export", "stream.jdbc_vs_duckdb_jdbc",
        "stream.native_vs_duckdb_jdbc"), results.stream().map(r -> ((Map<?, ?>) r).get("name")).toList());
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
