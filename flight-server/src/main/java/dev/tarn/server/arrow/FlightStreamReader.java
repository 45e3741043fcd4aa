package dev.tarn.server.arrow;

import java.io.IOException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A client's upload (DoPut) as an {@link ArrowReader}, so DuckDB can scan it batch by batch as it
 * arrives (through the C data interface) without the whole stream being held in memory.
 */
public final class FlightStreamReader extends ArrowReader {
  private final FlightStream stream;

  public FlightStreamReader(FlightStream stream, BufferAllocator allocator) {
    super(allocator);
    this.stream = stream;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    if (!stream.next()) {
      return false;
    }
    VectorUnloader unloader = new VectorUnloader(stream.getRoot());
    try (ArrowRecordBatch batch = unloader.getRecordBatch()) {
      loadRecordBatch(batch);
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    // the Flight stream belongs to the call; Flight closes it
  }

  @Override
  protected Schema readSchema() {
    return stream.getSchema();
  }
}
