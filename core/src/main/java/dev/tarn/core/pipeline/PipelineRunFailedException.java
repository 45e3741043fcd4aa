package dev.tarn.core.pipeline;

import dev.tarn.executor.pipeline.RunRecord;

/**
 * A pipeline run ended in failure or was cancelled; the message is the run's error (model, traceback,
 * what was kept).
 */
public final class PipelineRunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient RunRecord record;

  public PipelineRunFailedException(RunRecord record) {
    super(record.error() != null ? record.error() : "pipeline run " + record.id() + " failed");
    this.record = record;
  }

  public RunRecord record() {
    return record;
  }

  /** Whether the run was cancelled (its client cancelled it or went away) rather than failed. */
  public boolean cancelled() {
    return record != null && record.status() == RunRecord.Status.CANCELLED;
  }
}
