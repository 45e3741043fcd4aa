package dev.tarn.server.flight;

import dev.tarn.executor.Execution;
import dev.tarn.server.session.Session;
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

  PendingResult(Session session, PreparedQuery query, List<Object> parameters) {
    this.session = session;
    this.query = query;
    this.parameters = parameters;
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

  synchronized void cancel() {
    cancelled = true;
    if (execution != null) {
      execution.cancel();
    }
  }
}
