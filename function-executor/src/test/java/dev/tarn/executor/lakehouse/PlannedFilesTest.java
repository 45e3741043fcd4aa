package dev.tarn.executor.lakehouse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannedFilesTest {
  private static PlannedFiles files(Long... rowCounts) {
    return files(List.of(rowCounts));
  }

  private static PlannedFiles files(List<Long> rowCounts) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < rowCounts.size(); i++) {
      names.add("f" + i + ".parquet");
    }
    return new PlannedFiles(names, rowCounts);
  }

  @Test
  void oneFileOrEvenFilesNeedNoExtraFooters() {
    assertFalse(files().misleadRowEstimate());
    assertFalse(files(5L).misleadRowEstimate());
    assertFalse(files(100L, 100L, 100L).misleadRowEstimate());
    assertFalse(files(0L, 0L).misleadRowEstimate());
    // the last file is a remainder: the estimate is within a tenth
    assertFalse(files(100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 91L).misleadRowEstimate());
  }

  @Test
  void aFirstFileUnlikeTheRestMisleads() {
    assertTrue(files(4_055_040L, 1_946_175L).misleadRowEstimate(), "an estimate too high");
    assertTrue(files(1_946_175L, 4_055_040L).misleadRowEstimate(), "an estimate too low");
    assertTrue(files(1L, 1_000L).misleadRowEstimate());
    assertTrue(files(0L, 1L).misleadRowEstimate());
  }

  @Test
  void manyFilesAreLeftToDuckDbsEstimate() {
    List<Long> counts = new ArrayList<>(Collections.nCopies(PlannedFiles.MAX_FOOTERS_AT_BIND, 1L));
    counts.set(0, 1_000L);
    assertTrue(files(counts).misleadRowEstimate());
    counts.add(1L);
    assertFalse(files(counts).misleadRowEstimate());
  }

  @Test
  void everyFileHasItsCount() {
    assertThrows(IllegalArgumentException.class, () -> new PlannedFiles(List.of("a"), List.of()));
  }
}
