package dev.tarn.bench.branch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B3 once through the command line, as {@code ./tarn bench branch --quick} does, and
 * checks its answers and its result file. Timings are never asserted.
 */
class BranchBenchmarkTest {

  @Test
  void quickBranchChecksEveryAnswerAndWritesItsResults(@TempDir Path out) throws IOException {
    QuickRun run = QuickRun.of("branch", out);
    String text = run.printed();
    assertTrue(text.contains("branch.merge.p50_ratio_100_vs_10"), text);
    Map<String, Object> doc = run.doc();
    assertEquals("branch", doc.get("benchmark"));
    assertEquals(Boolean.TRUE, doc.get("quick"));
    List<?> results = run.results();
    List<Object> names = run.resultNames();
    for (String op : List.of("create_branch", "insert", "merge")) {
      assertTrue(names.contains("branch." + op + ".p50.10_tables"), names.toString());
      assertTrue(names.contains("branch." + op + ".p50.100_tables"), names.toString());
    }
    for (String op : List.of("create_branch", "insert", "merge", "select_1")) {
      assertTrue(names.contains("branch." + op + ".p50.10_tables.tarn_jdbc"), names.toString());
      assertTrue(names.contains("branch." + op + ".p50.100_tables.tarn_jdbc"), names.toString());
    }
    for (String op : List.of("create_branch", "insert", "merge", "show_log", "select_count", "select_1")) {
      assertTrue(names.contains("branch." + op + ".p50_ratio_100_vs_10"), names.toString());
    }

    int repetitions = BranchBenchmark.QUICK_REPETITIONS;
    // both phases: the stock driver's, then Tarn's own driver's
    int merges = 2 * (BranchBenchmark.QUICK_WARMUPS + repetitions);
    for (Object r : results) {
      Map<?, ?> result = (Map<?, ?>) r;
      Map<?, ?> parameters = (Map<?, ?>) result.get("parameters");
      assertEquals(List.of(10, 100), parameters.get("sizes"));
      assertEquals(repetitions, parameters.get("repetitions"));
      // Every merge brought one row into main's b.t_0; every branch made is listed, and main.
      Map<?, ?> answers = (Map<?, ?>) parameters.get("answers");
      for (String size : List.of("10_tables", "100_tables")) {
        Map<?, ?> a = (Map<?, ?>) answers.get(size);
        assertEquals(merges, a.get("merges"), size);
        assertEquals(1 + merges, ((Number) a.get("main_rows_in_b.t_0")).intValue(), size);
        assertEquals(1 + merges, a.get("branches_listed"), size);
      }
      String name = (String) result.get("name");
      if (name.endsWith(".tarn_jdbc")) {
        assertEquals(null, result.get("goal_met"), name);
        assertEquals(repetitions, ((List<?>) parameters.get("ms")).size(), name);
      } else if (name.contains("_ratio_")) {
        assertEquals(repetitions, ((List<?>) parameters.get("baseline_ms")).size(), name);
        assertEquals(repetitions, ((List<?>) parameters.get("tarn_ms")).size(), name);
      } else {
        assertEquals(null, result.get("baseline"), name);
        assertEquals(name.contains(".insert.") ? "< 15 ms" : "< 10 ms", result.get("goal"), name);
        assertEquals(repetitions, ((List<?>) parameters.get("ms")).size(), name);
      }
    }
  }

  @Test
  void sizesAreDistinctTableCountsSmallestFirst() {
    assertEquals(List.of(10, 1000), BranchBenchmark.sizes("1000, 10,10"));
    assertEquals(List.of(1000), BranchBenchmark.sizes("1_000"));
    assertThrows(IllegalArgumentException.class, () -> BranchBenchmark.sizes("0,10"));
    assertThrows(IllegalArgumentException.class, () -> BranchBenchmark.sizes("ten"));
  }
}
