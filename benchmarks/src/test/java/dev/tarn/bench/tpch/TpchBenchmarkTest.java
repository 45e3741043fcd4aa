package dev.tarn.bench.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.bench.QuickRun;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the quick B2 (SF 0.01) once through the command line, as {@code ./tarn bench tpch --quick}
 * does: every Tarn answer must equal embedded DuckDB's and the answers shipped in the tpch jar.
 * Timings are never asserted.
 */
class TpchBenchmarkTest {

  @Test
  void quickTpchAnswersEqualDuckDbAndTheShippedAnswers(@TempDir Path out) throws IOException {
    QuickRun run = QuickRun.of("tpch", out);
    String text = run.printed();
    assertTrue(text.contains("all 22 answers also match the SF 0.01 answers shipped in the tpch jar"), text);
    Map<String, Object> doc = run.doc();
    assertEquals("tpch", doc.get("benchmark"));
    List<?> results = run.results();
    List<Object> names = run.resultNames();
    assertTrue(names.contains("tpch.total.warm"), names.toString());
    assertTrue(names.contains("tpch.total.cold"), names.toString());
    assertTrue(names.contains("tpch.load"), names.toString());
    assertTrue(names.contains("tpch.floor.warm"), names.toString());
    assertTrue(names.contains("tpch.floor.cold"), names.toString());
    assertTrue(text.contains("the floor: each embedded query plus a SELECT 1"), text);
    for (int q = 1; q <= 22; q++) {
      assertTrue(names.contains(String.format("tpch.q%02d.warm", q)), names.toString());
    }
    Map<?, ?> total = (Map<?, ?>) results.get(names.indexOf("tpch.total.warm"));
    Map<?, ?> parameters = (Map<?, ?>) total.get("parameters");
    assertEquals(0.01, ((Number) parameters.get("scale_factor")).doubleValue());
    assertEquals(22, ((Number) parameters.get("reference_answers_checked")).intValue());
    Map<?, ?> rows = (Map<?, ?>) ((Map<?, ?>) parameters.get("load")).get("rows");
    assertEquals(60_175, ((Number) rows.get("lineitem")).intValue());
    assertEquals(1_500, ((Number) rows.get("customer")).intValue());
    // the floor adds a bare round trip after every embedded query: one per query and pass
    Map<?, ?> q01 = (Map<?, ?>) ((Map<?, ?>) parameters.get("queries")).get("q01");
    assertEquals(((List<?>) q01.get("baseline_seconds")).size(),
        ((List<?>) q01.get("bare_flight_after_baseline_seconds")).size());
    // the warm floor is each query's median of embedded plus bare times over the warm passes, summed
    double floorSum = 0;
    for (Object entry : ((Map<?, ?>) parameters.get("queries")).values()) {
      List<?> base = (List<?>) ((Map<?, ?>) entry).get("baseline_seconds");
      List<?> bare = (List<?>) ((Map<?, ?>) entry).get("bare_flight_after_baseline_seconds");
      List<Double> sums = new java.util.ArrayList<>();
      for (int pass = 1; pass < base.size(); pass++) {
        sums.add(((Number) base.get(pass)).doubleValue() + ((Number) bare.get(pass)).doubleValue());
      }
      floorSum += dev.tarn.bench.Stats.median(sums);
    }
    Map<?, ?> floor = (Map<?, ?>) results.get(names.indexOf("tpch.floor.warm"));
    assertEquals(floorSum, ((Number) floor.get("tarn")).doubleValue(), 1e-9, floor.toString());
  }

  @Test
  void answersCompareExactlyExceptDoublesAndOnlyInOrderWhenOrdered() {
    Answer a = answer(row(1L, new BigDecimal("1.50"), "x"), row(2L, new BigDecimal("2.00"), "y"));
    Answer swapped = answer(row(2L, new BigDecimal("2.00"), "y"), row(1L, new BigDecimal("1.50"), "x"));
    assertNull(Answer.difference(a, swapped, false));
    assertNotNull(Answer.difference(a, swapped, true));
    assertNotNull(Answer.difference(a, answer(row(1L, new BigDecimal("1.51"), "x"),
        row(2L, new BigDecimal("2.00"), "y")), false));
    assertNotNull(Answer.difference(a, answer(row(1L, new BigDecimal("1.50"), "x")), false));
    assertNull(Answer.difference(answer(row(0.1 + 0.2)), answer(row(0.3)), true));
    assertNotNull(Answer.difference(answer(row(0.3)), answer(row(0.3001)), true));
    assertNull(Answer.difference(answer(row(LocalDate.of(1995, 3, 15))), answer(row(LocalDate.of(1995, 3, 15))), true));
  }

  @Test
  void everyQueryAndEveryShippedAnswerIsThere() {
    List<TpchQuery> queries = TpchQuery.all();
    assertEquals(22, queries.size());
    for (TpchQuery q : queries) {
      assertTrue(q.sql().toUpperCase().startsWith("SELECT") || q.sql().toUpperCase().startsWith("WITH"), q.key());
      assertNotNull(ReferenceAnswers.rows(q.number()), q.key());
    }
    assertEquals(List.of("1193053.2253"), ReferenceAnswers.rows(6).get(0));
  }

  private static List<Object> row(Object... values) {
    return new ArrayList<>(Arrays.asList(values));
  }

  @SafeVarargs
  private static Answer answer(List<Object>... rows) {
    Answer a = new Answer();
    a.rows().addAll(List.of(rows));
    return a;
  }
}
