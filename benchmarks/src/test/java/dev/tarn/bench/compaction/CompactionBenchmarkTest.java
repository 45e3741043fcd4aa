package dev.tarn.bench.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B12 through the command line, as {@code ./tarn bench compaction --quick} does: its
 * answers are checked before and after OPTIMIZE as it runs; here its result file. Times are not
 * asserted.
 */
class CompactionBenchmarkTest {

  @Test
  void quickCompactionChecksItsAnswersAndWritesItsResults(@TempDir Path out) throws Exception {
    QuickRun run = QuickRun.of("compaction", out);
    List<Object> names = run.resultNames();
    assertEquals(List.of("compaction.count_after_vs_before", "compaction.filtered_scan_after_vs_before"), names);
    Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) run.results().get(0)).get("parameters");
    assertEquals(CompactionBenchmark.QUICK_INSERTS, parameters.get("inserts"));
    assertEquals(CompactionBenchmark.QUICK_INSERTS, ((Number) parameters.get("files_before")).intValue(),
        run.printed());
    assertEquals(1, ((Number) parameters.get("files_after")).intValue(), run.printed());
  }

  @Test
  void theFilteredAnswerIsComputedFromTheRowsInserted() {
    assertEquals(List.of("20"), CompactionBenchmark.expected(CompactionBenchmark.Query.COUNT, 20));
    // ids 0..19 in group 3: 3 (v -3.5) and 13 (v 13.5): one row kept, 13.5
    assertEquals(List.of("1", "13.5"), CompactionBenchmark.expected(CompactionBenchmark.Query.FILTERED, 20));
  }
}
