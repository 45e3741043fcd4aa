package dev.tarn.executor.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannedFilesTest {
  private static boolean misleads(Long... rowCounts) {
    return PlannedFiles.misleadRowEstimate(List.of(rowCounts), 3);
  }

  @Test
  void oneFileOrEvenFilesNeedNoExtraFooters() {
    assertFalse(misleads());
    assertFalse(misleads(5L));
    assertFalse(misleads(100L, 100L, 100L));
    assertFalse(misleads(0L, 0L));
    // the last file is a remainder: the estimate is within a tenth
    assertFalse(misleads(100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 100L, 91L));
  }

  @Test
  void aFirstFileUnlikeTheRestMisleads() {
    assertTrue(misleads(4_055_040L, 1_946_175L), "an estimate too high");
    assertTrue(misleads(1_946_175L, 4_055_040L), "an estimate too low");
    assertTrue(misleads(1L, 1_000L));
    assertTrue(misleads(0L, 1L));
    // a tenth exactly is close enough; more is not
    assertFalse(misleads(110L, 90L));
    assertTrue(misleads(111L, 90L));
  }

  @Test
  void footersToReadStayWithinTheBudget() {
    int files = PlannedFiles.MAX_FOOTER_FIELDS_AT_BIND / 16;
    List<Long> counts = new ArrayList<>(Collections.nCopies(files, 1L));
    counts.set(0, 1_000L);
    assertTrue(PlannedFiles.misleadRowEstimate(counts, 16));
    assertFalse(PlannedFiles.misleadRowEstimate(counts, 17), "wider footers: over the budget");
    counts.add(1L);
    assertFalse(PlannedFiles.misleadRowEstimate(counts, 16), "one file more: over the budget");
  }

  @Test
  void absurdCountsLeaveTheEstimateToDuckDb() {
    assertFalse(misleads(Long.MAX_VALUE, 1L));
    assertFalse(misleads(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 10));
  }

  @Test
  void theRowsAreTheManifestsCountsAddedUpOrUnknownWhenTheyCannotBe() {
    assertEquals(0, PlannedFiles.total(List.of()));
    assertEquals(6, PlannedFiles.total(List.of(1L, 2L, 3L)));
    assertEquals(PlannedFiles.UNKNOWN_ROWS, PlannedFiles.total(List.of(Long.MAX_VALUE, 1L)), "overflow");
    assertEquals(PlannedFiles.UNKNOWN_ROWS, PlannedFiles.total(List.of(5L, -2L)), "a negative count");
  }

  @Test
  void localPathsKeepTheDecision() {
    PlannedFiles planned = new PlannedFiles(List.of("s3://b/a.parquet", "s3://b/b.parquet"), true, 12);
    PlannedFiles local = planned.at(List.of("/cache/a.parquet", "/cache/b.parquet"));
    assertEquals(List.of("/cache/a.parquet", "/cache/b.parquet"), local.files());
    assertTrue(local.countEveryFile());
    assertEquals(12, local.rows());
    assertThrows(IllegalArgumentException.class, () -> planned.at(List.of("/cache/a.parquet")));
  }
}
