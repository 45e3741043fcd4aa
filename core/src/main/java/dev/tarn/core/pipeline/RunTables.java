package dev.tarn.core.pipeline;

import static dev.tarn.core.arrow.Columns.bigint;
import static dev.tarn.core.arrow.Columns.bool;
import static dev.tarn.core.arrow.Columns.schema;
import static dev.tarn.core.arrow.Columns.text;
import static dev.tarn.core.arrow.Columns.timestamp;

import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.StepRecord;
import dev.tarn.core.lakehouse.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The result tables of the pipeline statements: {@code RUN PIPELINE} (one row per model, as
 * sql.md specifies, plus the run id), {@code SHOW RUNS} (one row per run) and {@code SHOW RUN 'id'}
 * (one row per step, scans and materializations included).
 */
public final class RunTables {
  private RunTables() {}

  /** Step kinds that are models (or expectations) rather than the scans and writes around them. */
  private static final Set<String> MODEL_KINDS = Set.of("sql", "python", "expectation");

  public static final Schema RUN = schema(text("model"), text("kind"), text("status"), bigint("rows"),
      bigint("duration_ms"), text("materialized_as"), text("run_id"));

  public static final Schema RUNS = schema(text("run_id"), text("project"), text("target_branch"), text("status"),
      bool("dry_run"), text("user"), timestamp("started_at"), timestamp("finished_at"), bigint("duration_ms"),
      text("run_branch"), text("commit_hash"), text("error"));

  public static final Schema STEPS = schema(text("step"), text("model"), text("kind"), text("status"),
      bigint("rows"), bigint("duration_ms"), text("materialized_as"), text("environment"), text("detail"),
      text("logs"), text("error"));

  /** RUN PIPELINE's answer: each model's outcome, with where it was materialized. */
  public static CommandResult run(RunRecord record) {
    List<Object[]> rows = new ArrayList<>();
    for (StepRecord step : record.steps()) {
      if (isModel(step)) {
        rows.add(modelRow(record, step));
      }
    }
    return new CommandResult(RUN, rows);
  }

  /** Whether a step gets a row of RUN PIPELINE's answer: a model or an expectation. */
  static boolean isModel(StepRecord step) {
    return MODEL_KINDS.contains(step.kind());
  }

  /**
   * Whether a model's row is final: the model ended and, when it succeeded and is materialized, so
   * did its materialization (the row names the table written).
   */
  static boolean modelRowFinal(RunRecord record, StepRecord model) {
    if (!ended(model.status())) {
      return false;
    }
    return model.status() != StepRecord.Status.SUCCEEDED || record.steps().stream()
        .filter(s -> isMaterializationOf(s, model))
        .allMatch(s -> ended(s.status()));
  }

  /** A model's row of RUN PIPELINE's answer, with where it was materialized. */
  static Object[] modelRow(RunRecord record, StepRecord step) {
    String materializedAs = record.steps().stream()
        .filter(s -> isMaterializationOf(s, step))
        .map(StepRecord::materializedAs)
        .filter(java.util.Objects::nonNull)
        .findFirst().orElse(step.materializedAs());
    return new Object[] {step.model(), step.kind(), status(step.status()), step.rows(), step.durationMs(),
        materializedAs, record.id()};
  }

  private static boolean isMaterializationOf(StepRecord s, StepRecord model) {
    return s.kind().equals("materialize") && s.model().equals(model.model());
  }

  private static boolean ended(StepRecord.Status status) {
    return status != StepRecord.Status.PENDING && status != StepRecord.Status.RUNNING;
  }

  public static CommandResult runs(List<RunRecord> records) {
    List<Object[]> rows = new ArrayList<>();
    for (RunRecord r : records) {
      Long duration = r.finishedAt() == null ? null : Duration.between(r.startedAt(), r.finishedAt()).toMillis();
      rows.add(new Object[] {r.id(), r.project(), r.targetBranch(), status(r.status()), r.dryRun(), r.user(),
          r.startedAt(), r.finishedAt(), duration, r.runBranch(), r.mergeCommit(), r.error()});
    }
    return new CommandResult(RUNS, rows);
  }

  public static CommandResult steps(RunRecord record) {
    List<Object[]> rows = new ArrayList<>();
    for (StepRecord s : record.steps()) {
      rows.add(new Object[] {s.step(), s.model(), s.kind(), status(s.status()), s.rows(), s.durationMs(),
          s.materializedAs(), s.environment(), s.detail(), s.logs().isEmpty() ? null : s.logs(), s.error()});
    }
    return new CommandResult(STEPS, rows);
  }

  private static String status(Enum<?> status) {
    return status.name().toLowerCase(Locale.ROOT);
  }
}
