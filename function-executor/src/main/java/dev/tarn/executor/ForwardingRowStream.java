package dev.tarn.executor;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A row stream that hands every call to another one: the base of decorators that add something
 * around a result (keeping commits pinned while it streams, recording it when it ends) and
 * override only the calls they change.
 */
public abstract class ForwardingRowStream implements RowStream {
  private final RowStream delegate;

  protected ForwardingRowStream(RowStream delegate) {
    this.delegate = delegate;
  }

  protected final RowStream delegate() {
    return delegate;
  }

  @Override
  public Schema schema() {
    return delegate.schema();
  }

  @Override
  public VectorSchemaRoot root() {
    return delegate.root();
  }

  @Override
  public boolean next() {
    return delegate.next();
  }

  @Override
  public void cancel() {
    delegate.cancel();
  }

  @Override
  public long rowsProduced() {
    return delegate.rowsProduced();
  }

  @Override
  public long bytesProduced() {
    return delegate.bytesProduced();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
