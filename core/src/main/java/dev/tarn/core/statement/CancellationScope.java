package dev.tarn.core.statement;

import java.util.function.Supplier;

/**
 * How long work (a pipeline run) learns that its caller went away: the front door interrupts the
 * thread doing the work when its call is cancelled, times out or loses its connection, and the
 * work treats the interrupt as a cancel.
 */
public interface CancellationScope {
  /** For callers that cannot go away (tests, in-process use): the work just runs. */
  CancellationScope NONE = new CancellationScope() {
    @Override
    public <T> T interruptOnCancel(Supplier<T> work) {
      return work.get();
    }
  };

  <T> T interruptOnCancel(Supplier<T> work);
}
