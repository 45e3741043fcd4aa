package dev.tarn.server.flight;

import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.core.metrics.TarnMetrics;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams results from the server's own bounded thread pool, never from the gRPC thread: each batch
 * is sent only when the client is ready for it, so a slow client slows the query instead of
 * filling the server's memory. A batch larger than the message limit is sent as several messages
 * of consecutive rows ({@link BatchSlicer}), so clients with gRPC's default 16 MiB limit read
 * results of any width.
 */
final class ResultStreamer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultStreamer.class);
  private static final long READY_WAIT_MILLIS = 30_000;

  private final ExecutorService pool;
  private final TarnMetrics metrics;
  private final long maxMessageBytes;

  ResultStreamer(ExecutorService pool, TarnMetrics metrics, long maxMessageBytes) {
    this.pool = pool;
    this.metrics = metrics;
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Runs {@code produce} on a pool thread and streams what it returns. {@code onClientCancel} runs
   * when the client goes away or cancels.
   */
  void stream(String kind, ServerStreamListener listener, BufferAllocator allocator,
      Supplier<ExecutionResult> produce, Runnable onClientCancel) {
    // The strategy takes the listener's cancel handler for itself (register replaces any handler set
    // before), so the client's cancel reaches the producer through the strategy's cancel callback.
    BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy() {
      @Override
      protected void cancelCallback() {
        onClientCancel.run();
      }
    };
    backpressure.register(listener);
    try {
      pool.execute(() -> streamNow(kind, listener, allocator, produce, backpressure));
    } catch (RejectedExecutionException e) {
      listener.error(CallStatus.UNAVAILABLE.withDescription("the server is shutting down").toRuntimeException());
    }
  }

  private void streamNow(String kind, ServerStreamListener listener, BufferAllocator allocator,
      Supplier<ExecutionResult> produce, BackpressureStrategy backpressure) {
    RowStream rows = null;
    boolean ok = false;
    try {
      ExecutionResult result = produce.get();
      if (result instanceof RowStream stream) {
        rows = stream;
        try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(stream.root().getSchema(), allocator)) {
          listener.start(outgoing);
          BatchSlicer slicer = new BatchSlicer(maxMessageBytes);
          BooleanSupplier sendWhenReady = () -> {
            // shutting down interrupts the stream threads; a client that keeps reading would not notice
            if (Thread.currentThread().isInterrupted() || !awaitReady(listener, backpressure)) {
              return false;
            }
            listener.putNext();
            return true;
          };
          while (stream.next()) {
            if (!slicer.sendInMessages(stream.root(), outgoing, sendWhenReady)) {
              endAbandoned(listener);
              return;
            }
          }
          listener.completed();
          ok = true;
          return;
        }
      } else {
        try (VectorSchemaRoot empty = VectorSchemaRoot.create(new Schema(List.of()), allocator)) {
          listener.start(empty);
        }
      }
      listener.completed();
      ok = true;
    } catch (RuntimeException e) {
      if (listener.isCancelled()) {
        endAbandoned(listener);
      } else {
        listener.error(ErrorMapper.toFlight(e));
      }
      LOG.debug("stream failed: {}", e.getMessage());
    } finally {
      if (rows != null) {
        // Failures before the first batch were counted where the statement ran.
        metrics.streamFinished(kind, rows.rowsProduced(), rows.bytesProduced(), ok);
        rows.close();
      }
      allocator.close();
    }
  }

  /**
   * Ends a call that stopped before its result was sent whole: its client cancelled it or went
   * away, or the server is shutting down and interrupted the stream. gRPC tells call middleware
   * that a call is over only when the server closes it, so a call left open would count as using
   * its session forever, and that session could never be recycled.
   */
  private static void endAbandoned(ServerStreamListener listener) {
    CallStatus status = listener.isCancelled()
        ? CallStatus.CANCELLED.withDescription("the client cancelled the result")
        : CallStatus.UNAVAILABLE.withDescription("the server is shutting down; the result was not sent whole");
    try {
      listener.error(status.toRuntimeException());
    } catch (RuntimeException e) {
      LOG.debug("ending a cancelled stream: {}", e.getMessage());
    }
  }

  /** Waits until the client can take another batch; false when it went away. */
  private static boolean awaitReady(ServerStreamListener listener, BackpressureStrategy backpressure) {
    BackpressureStrategy.WaitResult ready = backpressure.waitForListener(READY_WAIT_MILLIS);
    while (ready == BackpressureStrategy.WaitResult.TIMEOUT && !listener.isCancelled()) {
      ready = backpressure.waitForListener(READY_WAIT_MILLIS);
    }
    return ready == BackpressureStrategy.WaitResult.READY;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
