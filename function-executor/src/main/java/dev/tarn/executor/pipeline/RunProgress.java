package dev.tarn.executor.pipeline;

import dev.tarn.executor.pipeline.StepRecord.Status;
import dev.tarn.executor.python.ModelOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of one run as it changes. Every change makes a new immutable {@link RunRecord} and
 * hands it to the listener; changes and listener calls are serialized, so the listener sees them
 * in order. A failing listener is logged and ignored: the run does not depend on who watches it.
 */
final class RunProgress {
  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);

  private final RunListener listener;
  private RunRecord current; // guarded by this

  RunProgress(RunRecord initial, RunListener listener) {
    this.listener = listener == null ? RunListener.NONE : listener;
    synchronized (this) {
      current = initial;
      publish();
    }
  }

  synchronized RunRecord current() {
    return current;
  }

  /** The project was loaded and planned: its name and every step, pending. */
  synchronized void planned(String projectName, List<StepRecord> steps) {
    RunRecord r = current;
    current = new RunRecord(r.id(), r.project(), projectName, r.targetBranch(), r.runBranch(), r.status(),
        r.dryRun(), r.user(), r.startedAt(), r.finishedAt(), r.targetHashBefore(), r.mergeCommit(), r.error(),
        steps);
    publish();
  }

  synchronized void projectName(String projectName) {
    planned(projectName, current.steps());
  }

  synchronized void runBranch(String branch) {
    RunRecord r = current;
    current = new RunRecord(r.id(), r.project(), r.projectName(), r.targetBranch(), branch, r.status(), r.dryRun(),
        r.user(), r.startedAt(), r.finishedAt(), r.targetHashBefore(), r.mergeCommit(), r.error(), r.steps());
    publish();
  }

  synchronized void step(String stepId, UnaryOperator<StepRecord> change) {
    List<StepRecord> steps = new ArrayList<>(current.steps());
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).step().equals(stepId)) {
        steps.set(i, change.apply(steps.get(i)));
        RunRecord r = current;
        current = new RunRecord(r.id(), r.project(), r.projectName(), r.targetBranch(), r.runBranch(), r.status(),
            r.dryRun(), r.user(), r.startedAt(), r.finishedAt(), r.targetHashBefore(), r.mergeCommit(), r.error(),
            steps);
        publish();
        return;
      }
    }
    throw new IllegalArgumentException("no step '" + stepId + "' in run " + current.id());
  }

  void started(String stepId) {
    step(stepId, s -> s.withStatus(Status.RUNNING));
  }

  void succeeded(String stepId, StepOutcome outcome, long durationMs) {
    step(stepId, s -> new StepRecord(s.step(), s.model(), s.kind(),
        outcome.skipped() ? Status.SKIPPED : Status.SUCCEEDED, outcome.rows(), durationMs, outcome.materializedAs(),
        outcome.environment(), outcome.detail(), outcome.logs(), null));
  }

  void failed(String stepId, String error, String environment, String logs, long durationMs) {
    step(stepId, s -> new StepRecord(s.step(), s.model(), s.kind(), Status.FAILED, s.rows(), durationMs,
        s.materializedAs(), environment != null ? environment : s.environment(), s.detail(), logs, error));
  }

  /** Marks every step that never started as skipped. */
  synchronized void skipPending() {
    for (StepRecord s : current.steps()) {
      if (s.status() == Status.PENDING) {
        step(s.step(), p -> p.withStatus(Status.SKIPPED));
      }
    }
  }

  /** The run ended: its final record, also handed to the listener. */
  synchronized RunRecord finish(RunRecord.Status status, String error, String mergeCommit) {
    skipPending();
    RunRecord r = current;
    current = new RunRecord(r.id(), r.project(), r.projectName(), r.targetBranch(), r.runBranch(), status,
        r.dryRun(), r.user(), r.startedAt(), Instant.now(), r.targetHashBefore(), mergeCommit, error, r.steps());
    publish();
    return current;
  }

  /** A line a running step printed, handed on in order with the record changes. */
  synchronized void output(String stepId, ModelOutput.Stream stream, String line) {
    try {
      listener.output(current.id(), stepId, stream, line);
    } catch (RuntimeException e) {
      LOG.warn("a pipeline run listener failed on the output of run {}: {}", current.id(), e.toString());
    }
  }

  private void publish() {
    try {
      listener.updated(current);
    } catch (RuntimeException e) {
      LOG.warn("a pipeline run listener failed on run {}: {}", current.id(), e.toString());
    }
  }
}
