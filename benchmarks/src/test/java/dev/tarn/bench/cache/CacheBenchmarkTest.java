package dev.tarn.bench.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B6 once through the command line: 72k rows in 36 monthly files, the four
 * overlapping scans as real pipeline runs (Python model processes), with the
 * cache on and off, every answer checked. Needs uv and the pyarrow environment (from the Tarn
 * cache). Timings are never asserted; which files came from the cache is.
 */
class CacheBenchmarkTest {

  @Test
  void quickCacheRunsTheOverlappingScansWithAndWithoutTheCache(@TempDir Path out) throws Exception {
    QuickRun run = QuickRun.of("cache", out);
    String text = run.printed();
    assertTrue(text.contains("72,000 rows over 36 months written as 36 data files"), text);
    assertEquals(List.of("cache.repeated_runs", "cache.first_run"), run.resultNames());
    Map<?, ?> repeated = (Map<?, ?>) run.results().get(0);
    assertEquals(">= 3x", repeated.get("goal"));
    Map<?, ?> parameters = (Map<?, ?>) repeated.get("parameters");
    assertEquals(36, ((Number) parameters.get("data_files")).intValue());
    List<?> scans = (List<?>) parameters.get("scans");
    // files read / from the cache: the narrower and the inside scans entirely from it, the wider one half
    List<List<Integer>> expected = List.of(List.of(12, 0), List.of(12, 12), List.of(24, 12), List.of(21, 21));
    for (int s = 0; s < scans.size(); s++) {
      Map<?, ?> scan = (Map<?, ?>) scans.get(s);
      assertEquals(expected.get(s).get(0), ((Number) scan.get("files_read")).intValue(), scan.toString());
      assertEquals(List.of(expected.get(s).get(1)), scan.get("files_from_cache"), scan.toString());
    }
  }
}
