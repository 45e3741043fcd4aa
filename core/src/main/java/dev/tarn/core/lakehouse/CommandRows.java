package dev.tarn.core.lakehouse;

import dev.tarn.executor.RowStream;
import dev.tarn.core.arrow.Rows;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/** A Tarn command's few result rows as a one-batch {@link RowStream}. */
public final class CommandRows implements RowStream {
  private final VectorSchemaRoot root;
  private boolean sent;

  public CommandRows(CommandResult result, BufferAllocator allocator) {
    this.root = Rows.fill(result.schema(), result.rows(), allocator);
  }

  @Override
  public Schema schema() {
    return root.getSchema();
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public boolean next() {
    if (sent) {
      return false;
    }
    sent = true;
    return true;
  }

  @Override
  public long rowsProduced() {
    return sent ? root.getRowCount() : 0;
  }

  @Override
  public long bytesProduced() {
    return sent ? root.getFieldVectors().stream().mapToLong(v -> v.getBufferSize()).sum() : 0;
  }

  @Override
  public void close() {
    root.close();
  }
}
