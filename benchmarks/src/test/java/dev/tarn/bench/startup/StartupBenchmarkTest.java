package dev.tarn.bench.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B8 once (one server process) through the command line; needs the flight-server jar,
 * which the reactor builds before this module. Timings are never asserted.
 */
class StartupBenchmarkTest {

  @Test
  void quickStartupAnswersAndWritesItsResults(@TempDir Path out) throws Exception {
    QuickRun run = QuickRun.of("startup", out);
    String text = run.printed();
    List<?> results = run.results();
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
