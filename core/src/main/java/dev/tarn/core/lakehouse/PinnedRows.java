package dev.tarn.core.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.ForwardingRowStream;
import dev.tarn.executor.RowStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A result stream that keeps the commit catalogs it reads attached until it is closed, and places
 * the errors of its later batches (a value that fails to convert) in the client's text.
 */
final class PinnedRows extends ForwardingRowStream {
  private final List<AutoCloseable> pins;
  private final UnaryOperator<EngineException> placed;

  PinnedRows(RowStream rows, List<AutoCloseable> pins, UnaryOperator<EngineException> placed) {
    super(rows);
    this.pins = pins;
    this.placed = placed;
  }

  @Override
  public boolean next() {
    try {
      return super.next();
    } catch (EngineException e) {
      throw placed.apply(e);
    }
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
