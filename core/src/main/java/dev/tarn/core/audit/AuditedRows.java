package dev.tarn.core.audit;

import dev.tarn.executor.ForwardingRowStream;
import dev.tarn.executor.RowStream;

/**
 * A query's result on its way to the client: when it closes, its statement is recorded with the
 * rows and bytes it produced, as complete, failed (a failure mid-stream, a kill) or given up by
 * the client.
 */
final class AuditedRows extends ForwardingRowStream {
  private final Auditor.InFlight statement;
  private boolean complete;
  private RuntimeException failure;

  AuditedRows(RowStream rows, Auditor.InFlight statement) {
    super(rows);
    this.statement = statement;
  }

  @Override
  public boolean next() {
    try {
      boolean more = super.next();
      if (!more) {
        complete = true;
      }
      return more;
    } catch (RuntimeException e) {
      failure = statement.shown(e);
      throw failure;
    }
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      statement.streamEnded(failure, complete, rowsProduced(), bytesProduced());
    }
  }
}
