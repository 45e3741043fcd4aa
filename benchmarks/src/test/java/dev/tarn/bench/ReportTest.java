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
  void rowCountsAcceptSuffixes() {
    BenchMain.RowCount rows = new BenchMain.RowCount();
    assertEquals(10_000_000L, rows.convert("10M"));
    assertEquals(200_000L, rows.convert("200k"));
    assertEquals(1_000_000L, rows.convert("1_000_000"));
  }
}
