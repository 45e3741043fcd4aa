package dev.tarn.server.flight;

import dev.tarn.core.statement.PreparedQuery;
import java.util.Optional;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.Execution;
import dev.tarn.executor.ExecutionResult;
import org.apache.arrow.memory.BufferAllocator;
import dev.tarn.core.session.Session;
import java.util.List;

/**
 * A query whose FlightInfo the client holds and whose rows it has not yet fetched: what DoGet
 * runs, and what CancelFlightInfo reaches while it runs.
 */
final class PendingResult {
  private final Session session;
  private final PreparedQuery query;
  private final List<Object> parameters;
  private Execution execution;
  private boolean cancelled;
  private ExecutionResult early;
  private BufferAllocator earlyAllocator;

  PendingResult(Session session, PreparedQuery query, List<Object> parameters) {
    this.session = session;
    this.query = query;
    this.parameters = parameters;
  }

  /**
   * A result computed when the FlightInfo was asked for: statements with effects (MERGE, branch
   * commands) run then, because clients may never fetch their rows.
   */
  synchronized void ranEarly(ExecutionResult result, BufferAllocator allocator) {
    this.early = result;
    this.earlyAllocator = allocator;
  }

  /** The early result and the allocator holding it; whoever takes it closes both. */
  record Early(ExecutionResult result, BufferAllocator allocator) {}

  synchronized Optional<Early> takeEarlyResult() {
    if (early == null) {
      return Optional.empty();
    }
    Early taken = new Early(early, earlyAllocator);
    early = null;
    earlyAllocator = null;
    return Optional.of(taken);
  }

  Session session() {
    return session;
  }

  PreparedQuery query() {
    return query;
  }

  List<Object> parameters() {
    return parameters;
  }

  /** Called as the execution starts; a cancel that came first reaches it now. */
  synchronized void started(Execution newExecution) {
    this.execution = newExecution;
    if (cancelled) {
      newExecution.cancel();
    }
  }

  /** The client cancelled the query: work still producing its result (a pipeline run) stops too. */
  synchronized void cancel() {
    cancelled = true;
    releaseEarly(true);
    if (execution != null) {
      execution.cancel();
    }
  }

  /**
   * The handle expired unfetched: what was computed is released, but work that goes on by itself (a
   * pipeline run whose client never read its rows) is left to finish.
   */
  synchronized void expire() {
    releaseEarly(false);
    if (execution != null) {
      execution.cancel();
    }
  }

  private void releaseEarly(boolean stopProducer) {
    takeEarlyResult().ifPresent(e -> {
      if (e.result() instanceof RowStream rows) {
        if (stopProducer) {
          rows.cancel();
        }
        rows.close();
      }
      e.allocator().close();
    });
  }
}
