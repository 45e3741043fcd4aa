package dev.tarn.executor.pipeline;

import dev.tarn.executor.python.ModelOutput;

/**
 * Hears a run progress: called with the whole record after every change of a step or of the run,
 * and with each line a Python step prints while it runs.
 */
@FunctionalInterface
public interface RunListener {
  RunListener NONE = record -> {};

  void updated(RunRecord record);

  /**
   * A line a running Python step (model or expectation) printed, bounded as {@link ModelOutput}
   * says; it arrives after the step's RUNNING record and before its final one. Ignored by default.
   */
  default void output(String runId, String stepId, ModelOutput.Stream stream, String line) {}
}
