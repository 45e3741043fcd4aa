package dev.tarn.bench.cache;

import dev.tarn.bench.WrongAnswerException;
import dev.tarn.bench.cache.EventsTable.Answer;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunListener;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.RunRequest;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.pipeline.StepRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs B6's scans in order through one pipeline runner, as dry runs on {@code main} (nothing is
 * committed, so every run reads the same snapshot), and checks each run's answer: the scan's row
 * count and what the model process printed about the rows it received.
 */
final class ScanSequence implements ScanSide {
  private static final String SCAN_STEP = "scan:public." + EventsTable.NAME;
  private static final Pattern READ = Pattern.compile("read (\\d+) of \\d+ data files(?: \\((\\d+) from cache\\))?");
  private static final Pattern PRINTED = Pattern.compile("rows=(\\d+) usd=([0-9.eE+-]+)");

  private final Function<ScanCache, PipelineRunner> runners;
  private final List<OverlappingScan> scans;
  private final List<Path> projects;
  private final List<Answer> expected;

  /** @param runners a runner using the given cache, as the server makes it */
  ScanSequence(Function<ScanCache, PipelineRunner> runners, List<OverlappingScan> scans, List<Path> projects,
      List<Answer> expected) {
    this.runners = runners;
    this.scans = List.copyOf(scans);
    this.projects = List.copyOf(projects);
    this.expected = List.copyOf(expected);
  }

  @Override
  public List<ScanRun> run(ScanCache cache, String side) {
    PipelineRunner runner = runners.apply(cache);
    List<ScanRun> runs = new ArrayList<>();
    for (int i = 0; i < scans.size(); i++) {
      OverlappingScan scan = scans.get(i);
      RunRequest request = new RunRequest(projects.get(i), scan.name(), "main", true, Map.of(), "bench");
      long started = System.nanoTime();
      RunRecord record = runner.run(request, RunListener.NONE);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (record.status() != RunRecord.Status.SUCCEEDED) {
        throw new IllegalStateException(side + ": the run of scan '" + scan.name() + "' failed: " + record.error());
      }
      StepRecord scanStep = step(record, SCAN_STEP);
      StepRecord model = step(record, scan.name());
      check(side, scan, expected.get(i), scanStep, model);
      Matcher read = READ.matcher(String.valueOf(scanStep.detail()));
      if (!read.find()) {
        throw new IllegalStateException(side + ": the scan's record does not say what it read: " + scanStep.detail());
      }
      int fromCache = read.group(2) == null ? 0 : Integer.parseInt(read.group(2));
      runs.add(new ScanRun(seconds, (scanStep.durationMs() + model.durationMs()) / 1e3,
          Integer.parseInt(read.group(1)), fromCache, scanStep.rows()));
    }
    return runs;
  }

  private static void check(String side, OverlappingScan scan, Answer expected, StepRecord scanStep,
      StepRecord model) {
    if (scanStep.rows() != expected.rows()) {
      throw new WrongAnswerException(side + ": scan '" + scan.name() + "' kept " + scanStep.rows() + " rows, expected "
          + expected.rows());
    }
    Matcher printed = PRINTED.matcher(model.logs());
    if (!printed.find()) {
      throw new WrongAnswerException(side + ": model '" + scan.name() + "' did not report its input: " + model.logs());
    }
    long rows = Long.parseLong(printed.group(1));
    double usd = Double.parseDouble(printed.group(2));
    if (rows != expected.rows() || usd != expected.usd()) {
      throw new WrongAnswerException(side + ": model '" + scan.name() + "' received " + rows + " rows totalling "
          + usd + " usd, expected " + expected.rows() + " rows totalling " + expected.usd());
    }
  }

  /** The run's record of one step; a run without it is a failure of the benchmark, not a wrong answer. */
  static StepRecord step(RunRecord record, String id) {
    return record.steps().stream().filter(s -> s.step().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the run has no step " + id + ": " + record.steps()));
  }
}
