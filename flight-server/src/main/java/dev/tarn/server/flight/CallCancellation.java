package dev.tarn.server.flight;

import dev.tarn.core.statement.CancellationScope;
import io.grpc.Context;
import java.util.function.Supplier;

/**
 * Long work done inside a Flight call (a pipeline run) stops when the client goes away: the client
 * cancelling the call, its deadline passing or its connection closing interrupts the thread doing
 * the work, which the work treats as a cancel.
 */
final class CallCancellation implements CancellationScope {
  static final CallCancellation INSTANCE = new CallCancellation();

  private CallCancellation() {}

  @Override
  public <T> T interruptOnCancel(Supplier<T> work) {
    Thread worker = Thread.currentThread();
    Context call = Context.current();
    Context.CancellationListener listener = cancelled -> worker.interrupt();
    call.addListener(listener, Runnable::run);
    try {
      return work.get();
    } finally {
      call.removeListener(listener);
      // a cancel that raced the end of the work must not leak into the pooled thread's next call
      Thread.interrupted();
    }
  }
}
