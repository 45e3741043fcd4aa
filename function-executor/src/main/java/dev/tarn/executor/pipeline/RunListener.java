package dev.tarn.executor.pipeline;

/** Hears a run progress: called with the whole record after every change of a step or of the run. */
@FunctionalInterface
public interface RunListener {
  RunListener NONE = record -> {};

  void updated(RunRecord record);
}
