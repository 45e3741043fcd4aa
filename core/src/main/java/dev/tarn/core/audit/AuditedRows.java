package dev.tarn.core.audit;

import dev.tarn.executor.RowStream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A query's result on its way to the client: when it closes, its statement is recorded with the
 * rows and bytes it produced, as complete, failed (a failure mid-stream, a kill) or given up by
 * the client.
 */
final class AuditedRows implements RowStream {
  private final RowStream rows;
  private final Auditor.InFlight statement;
  private boolean complete;
  private RuntimeException failure;

  AuditedRows(RowStream rows, Auditor.InFlight statement) {
    this.rows = rows;
    this.statement = statement;
  }

  @Override
  public Schema schema() {
    return rows.schema();
  }

  @Override
  public VectorSchemaRoot root() {
    return rows.root();
  }

  @Override
  public boolean next() {
    try {
      boolean more = rows.next();
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
  public long rowsProduced() {
    return rows.rowsProduced();
  }

  @Override
  public long bytesProduced() {
    return rows.bytesProduced();
  }

  @Override
  public void close() {
    try {
      rows.close();
    } finally {
      statement.streamEnded(failure, complete, rows.rowsProduced(), rows.bytesProduced());
    }
  }
}
