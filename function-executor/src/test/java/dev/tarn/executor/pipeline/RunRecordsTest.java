package dev.tarn.executor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.pipeline.StepRecord.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordsTest {
  @TempDir Path folder;

  private static final Instant T0 = Instant.parse("2026-11-26T04:00:00.123456789Z");

  private static RunRecord running(String id, Instant started, List<StepRecord> steps) {
    return new RunRecord(id, "pipelines/seed", "seed", "dev", "tarn_run_" + id, RunRecord.Status.RUNNING, false,
        "ann", started, null, "abcdef0123456789", null, null, steps);
  }

  private static RunRecord finished(RunRecord r, RunRecord.Status status, String error, List<StepRecord> steps) {
    return new RunRecord(r.id(), r.project(), r.projectName(), r.targetBranch(), null, status, r.dryRun(), r.user(),
        r.startedAt(), r.startedAt().plusSeconds(3), r.targetHashBefore(), "0123abcd", error, steps);
  }

  @Test
  void finishedRunsSurviveAReopen() {
    RunRecords records = new RunRecords(folder);
    List<StepRecord> pending = List.of(StepRecord.pending("scan:public.transactions", "public.transactions", "scan"),
        StepRecord.pending("euro_selection", "euro_selection", "python"));
    RunRecord start = running("a1", T0, pending);
    records.save(start);
    List<StepRecord> done = List.of(
        new StepRecord("scan:public.transactions", "public.transactions", "scan", Status.SUCCEEDED, 5, 12, null, null,
            "columns id; read 1 of 3 data files", "", null),
        new StepRecord("euro_selection", "euro_selection", "python", Status.SUCCEEDED, 4, 800, null, "0662ef9c74616c60",
            null, "stdout:\nhello ünïcode\n", null));
    RunRecord end = finished(start, RunRecord.Status.SUCCEEDED, null, done);
    records.save(end);
    RunRecord other = finished(running("b2", T0.plusSeconds(60), List.of()), RunRecord.Status.FAILED,
        "pipeline run b2 failed in model 'x': ValueError\n— the target branch 'dev' is unchanged", List.of());
    records.save(other);

    RunRecords reopened = new RunRecords(folder);
    assertEquals(Optional.of(end), reopened.find("a1"));
    assertEquals(List.of(other, end), reopened.list(), "newest first");
    assertEquals(reopened.list(), records.list());
  }

  @Test
  void aRunStillRunningAtOpenWasInterrupted() throws IOException {
    RunRecords records = new RunRecords(folder);
    records.save(running("c3", T0, List.of(
        new StepRecord("scan:public.t", "public.t", "scan", Status.SUCCEEDED, 1, 1, null, null, null, "", null),
        StepRecord.pending("m", "m", "python").withStatus(Status.RUNNING),
        StepRecord.pending("materialize:m", "m", "materialize"))));
    assertTrue(Files.exists(folder.resolve("c3.json")));

    RunRecord after = new RunRecords(folder).find("c3").orElseThrow();
    assertEquals(RunRecord.Status.FAILED, after.status());
    assertTrue(after.error().contains("interrupted") && after.error().contains("tarn_run_c3"), after.error());
    assertNotNull(after.finishedAt());
    assertEquals(List.of(Status.SUCCEEDED, Status.FAILED, Status.SKIPPED),
        after.steps().stream().map(StepRecord::status).toList());
    assertEquals(after, new RunRecords(folder).find("c3").orElseThrow(), "the file was rewritten as failed");
  }

  @Test
  void keepsTheNewestThousand() {
    RunRecords records = RunRecords.inMemory();
    for (int i = 0; i < RunRecords.KEPT + 5; i++) {
      records.save(running("r" + i, T0.plusSeconds(i), List.of()));
    }
    assertEquals(RunRecords.KEPT, records.list().size());
    assertEquals("r" + (RunRecords.KEPT + 4), records.list().get(0).id());
    assertTrue(records.find("r4").isEmpty() && records.find("r5").isPresent());
  }
}
