package dev.tarn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.BenchMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tarn bench all --quick} end to end, as the test command must run it: every benchmark's
 * small version with its answers checked (never its times), and one chart.
 */
class AllQuickTest {

  @Test
  void allQuickChecksEveryAnswerAndDrawsOneChart(@TempDir Path out) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status;
    try (PrintStream stdout = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      status = BenchMain.execute(stdout, "all", "--quick", "--out", out.toString());
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    try (Stream<Path> files = Files.list(out)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertEquals(1, names.stream().filter(n -> n.endsWith(".svg")).count(), names.toString());
      assertTrue(names.stream().anyMatch(n -> n.endsWith("-load-quick.json")), names.toString());
      for (String benchmark : List.of("startup", "roundtrip", "cli", "writers", "editloop")) {
        assertTrue(names.stream().anyMatch(n -> n.endsWith("-" + benchmark + "-quick.json")), names.toString());
      }
    }
  }
}
