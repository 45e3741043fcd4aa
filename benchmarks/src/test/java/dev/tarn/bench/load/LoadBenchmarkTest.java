package dev.tarn.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B7 once through the command line, as {@code ./tarn bench load --quick} does: its
 * answers are checked as it runs; here its result file. Timings and error counts are not asserted.
 */
class LoadBenchmarkTest {

  @Test
  void quickLoadChecksItsAnswersAndWritesItsResults(@TempDir Path out) throws Exception {
    QuickRun run = QuickRun.of("load", out);
    String text = run.printed();
    Map<String, Object> doc = run.doc();
    List<?> results = run.results();
    List<Object> names = run.resultNames();
    assertTrue(names.contains("load.throughput"), names.toString());
    assertTrue(names.contains("load.point.p99"), names.toString());
    assertTrue(names.contains("load.errors"), names.toString());
    Map<?, ?> parameters = (Map<?, ?>) ((Map<?, ?>) results.get(0)).get("parameters");
    assertEquals(LoadBenchmark.QUICK_CLIENTS, parameters.get("clients"));
    assertEquals(LoadBenchmark.QUICK_CLIENTS, ((List<?>) parameters.get("inserts_per_client")).size());
    assertTrue(((Number) ((Map<?, ?>) parameters.get("all")).get("count")).intValue() > 0, text);
  }

  @Test
  void theMixAddsUpAndSettingsMustBePositive() {
    assertEquals(Kind.POINT, Kind.forDraw(0));
    assertEquals(Kind.SCAN, Kind.forDraw(Kind.POINT.percent));
    assertEquals(Kind.INSERT, Kind.forDraw(99));
    int total = 0;
    for (Kind k : Kind.values()) {
      total += k.percent;
    }
    assertEquals(100, total);
    assertEquals(32, LoadBenchmark.positive("clients", "32"));
    assertThrows(IllegalArgumentException.class, () -> LoadBenchmark.positive("seconds", "0"));
  }

  @Test
  void groupAnswersAreComputedInClosedForm() {
    LoadTable table = new LoadTable(1_000);
    assertEquals(3L * 999 * 1000 / 2, table.sumV());
    assertEquals(null, table.checkRow(7, 7, 7, 21, "row 7"));
    assertTrue(table.checkRow(7, 7, 7, 22, "row 7") != null);
  }
}
