package dev.tarn.core.lakehouse;

import dev.tarn.executor.ForwardingRowStream;
import dev.tarn.executor.RowStream;
import java.util.List;

/** A result stream that keeps the commit catalogs it reads attached until it is closed. */
final class PinnedRows extends ForwardingRowStream {
  private final List<AutoCloseable> pins;

  PinnedRows(RowStream rows, List<AutoCloseable> pins) {
    super(rows);
    this.pins = pins;
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      Lakehouse.closeAll(pins);
    }
  }
}
