package dev.tarn.server.flight;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BooleanSupplier;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Cuts a result batch into messages of consecutive rows that each stay under a byte limit. A batch
 * within the limit goes out whole; a larger one is cut by its average row size, and a piece that is
 * still too large (rows of uneven width) is halved until it fits. A single row larger than the limit
 * goes out alone: rows are never split.
 */
final class BatchSlicer {
  private final long maxMessageBytes;

  BatchSlicer(long maxMessageBytes) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("the message limit must be positive");
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  private record Range(int offset, int length) {}

  /**
   * Loads {@code batch}'s rows into {@code outgoing} a message at a time, calling {@code send}
   * after each load; stops early, returning false, when {@code send} does (the client went away).
   */
  boolean sendInMessages(VectorSchemaRoot batch, VectorSchemaRoot outgoing, BooleanSupplier send) {
    int rows = batch.getRowCount();
    long bytes = bytesOf(batch);
    if (rows <= 1 || bytes <= maxMessageBytes) {
      load(batch, outgoing);
      return send.getAsBoolean();
    }
    int rowsPerMessage = (int) Math.max(1, Math.min(rows, rows * maxMessageBytes / bytes));
    Deque<Range> pending = new ArrayDeque<>();
    for (int offset = 0; offset < rows; offset += rowsPerMessage) {
      pending.addLast(new Range(offset, Math.min(rowsPerMessage, rows - offset)));
    }
    while (!pending.isEmpty()) {
      Range range = pending.removeFirst();
      try (VectorSchemaRoot slice = batch.slice(range.offset(), range.length())) {
        if (range.length() > 1 && bytesOf(slice) > maxMessageBytes) {
          int half = range.length() / 2;
          pending.addFirst(new Range(range.offset() + half, range.length() - half));
          pending.addFirst(new Range(range.offset(), half));
          continue;
        }
        load(slice, outgoing);
      }
      if (!send.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of the batch's buffers: what its message carries, give or take the metadata. */
  static long bytesOf(VectorSchemaRoot root) {
    long total = 0;
    for (FieldVector vector : root.getFieldVectors()) {
      total += vector.getBufferSize();
    }
    return total;
  }

  private static void load(VectorSchemaRoot from, VectorSchemaRoot to) {
    try (ArrowRecordBatch rows = new VectorUnloader(from).getRecordBatch()) {
      new VectorLoader(to).load(rows);
    }
  }
}
