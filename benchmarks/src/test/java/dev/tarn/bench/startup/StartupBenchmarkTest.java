package dev.tarn.bench.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.BenchMain;
import dev.tarn.bench.Report;
import java.io.ByteArrayOutputStream;
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
 * Runs the quick B8 once (one server process) through the command line; needs the flight-server jar,
 * which the reactor builds before this module. Timings are never asserted.
 */
class StartupBenchmarkTest {

  @Test
  void quickStartupAnswersAndWritesItsResults(@TempDir Path out) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int status;
    try (PrintStream stdout = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      status = BenchMain.execute(stdout, "startup", "--quick", "--out", out.toString());
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    Path file;
    try (Stream<Path> files = Files.list(out)) {
      List<Path> json = files.filter(f -> f.toString().endsWith("-startup-quick.json")).toList();
      assertEquals(1, json.size(), json.toString());
      file = json.get(0);
    }
    List<?> results = (List<?>) Report.readJson(file).get("results");
    Map<?, ?> first = (Map<?, ?>) results.get(0);
    assertEquals("startup.first_answer.median", first.get("name"));
    assertEquals("< 3 s", first.get("goal"));
    Map<?, ?> parameters = (Map<?, ?>) first.get("parameters");
    assertEquals(1, ((List<?>) parameters.get("answer_seconds")).size());
    assertTrue(((Number) ((List<?>) parameters.get("rss_mib")).get(0)).doubleValue() > 0, text);
  }

  @Test
  void procStatusLinesAreKibibytes() {
    assertEquals(123_456L * 1024, ServerLaunch.kib("VmRSS:\t  123456 kB"));
  }
}
