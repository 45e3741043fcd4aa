package dev.tarn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, Stats.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
  }

  @Test
  void goalsReadAsTheSpecWritesThem() {
    assertEquals(">= 0.7x", Goal.atLeast(0.7).label());
    assertEquals(">= 3x", Goal.atLeast(3).label());
    assertEquals("<= 1.15x", Goal.atMost(1.15).label());
    assertTrue(Goal.atLeast(3).metBy(3.0));
    assertNull(Goal.none().metBy(1.0));
  }

  @Test
  void tableShowsBaselineTarnRatioAndGoal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.printTable(List.of(Result.throughput("x.y", 10e6, 8e6, "rows/s", Goal.atLeast(0.7), Map.of())),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("10.00 M rows/s"), table);
    assertTrue(table.contains("8.00 M rows/s"), table);
    assertTrue(table.contains("0.80x"), table);
    assertTrue(table.contains(">= 0.7x"), table);
    assertTrue(table.contains("yes"), table);
  }

  @Test
  void absoluteGoalsAreCheckedOnTarnsFigure() {
    assertEquals("< 10 ms", Goal.below(10, "ms").label());
    Result fast = Result.absolute("b.fast", 4.2, "ms", Goal.below(10, "ms"), Map.of());
    Result slow = Result.absolute("b.slow", 12.0, "ms", Goal.below(10, "ms"), Map.of());
    assertEquals(Boolean.TRUE, fast.goalMet());
    assertEquals(Boolean.FALSE, slow.goalMet());
    Result scaling = Result.time("b.ratio", 4.0, 5.0, "ms", Goal.atMost(1.5), Map.of());
    assertEquals(1.25, scaling.ratio());
    assertEquals(Boolean.TRUE, scaling.goalMet());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report.printTable(List.of(fast, scaling), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String table = bytes.toString(StandardCharsets.UTF_8);
    String fastLine = table.lines().filter(l -> l.startsWith("b.fast")).findFirst().orElseThrow();
    assertTrue(fastLine.matches("b\\.fast\\s+-\\s+4\\.200 ms\\s+-\\s+< 10 ms\\s+yes"), fastLine);
    assertTrue(table.contains("1.25x"), table);
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> fifty = new java.util.ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      fifty.add((double) i);
    }
    assertEquals(50.0, Stats.percentile(fifty, 99));
    assertEquals(25.0, Stats.percentile(fifty, 50));
    assertEquals(1.0, Stats.percentile(List.of(1.0), 99));
  }

  @Test
  void rowCountsAcceptSuffixes() {
    BenchMain.RowCount rows = new BenchMain.RowCount();
    assertEquals(10_000_000L, rows.convert("10M"));
    assertEquals(200_000L, rows.convert("200k"));
    assertEquals(1_000_000L, rows.convert("1_000_000"));
  }
}
