package dev.tarn.core.lakehouse;

import dev.tarn.executor.RowStream;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/** A result stream that keeps the commit catalogs it reads attached until it is closed. */
final class PinnedRows implements RowStream {
  private final RowStream rows;
  private final List<AutoCloseable> pins;

  PinnedRows(RowStream rows, List<AutoCloseable> pins) {
    this.rows = rows;
    this.pins = pins;
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
    return rows.next();
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
      Lakehouse.closeAll(pins);
    }
  }
}
