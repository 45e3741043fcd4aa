package dev.tarn.server.arrow;

import dev.tarn.core.arrow.ColumnConverter;
import dev.tarn.core.arrow.ExactColumns;
import dev.tarn.executor.EngineException;
import dev.tarn.core.arrow.ExactColumns.Column;
import dev.tarn.executor.UntrustedArrow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A client's upload (DoPut) as an {@link ArrowReader}, so DuckDB can scan it batch by batch as it
 * arrives (through the C data interface) without the whole stream being held in memory. Columns
 * are brought into a form DuckDB stores exactly as they pass ({@link ExactColumns}): dictionaries
 * decoded, float16 widened, nanoseconds checked and turned into microseconds, and so on.
 *
 * <p>{@link #open} refuses an upload whose schema holds a type Tarn cannot store exactly before any
 * data is read. A value refused later (mid-stream) fails DuckDB's scan; {@link #refusal()} then
 * holds the precise reason, which the caller reports instead of DuckDB's wrapped error.
 */
public final class FlightStreamReader extends ArrowReader {
  private final FlightStream stream;
  private final List<Column> columns;
  private EngineException refusal;

  private FlightStreamReader(FlightStream stream, BufferAllocator allocator, List<Column> columns) {
    super(allocator);
    this.stream = stream;
    this.columns = columns;
  }

  /** Waits for the upload's schema and plans its columns; throws the refusal of a column Tarn cannot store. */
  public static FlightStreamReader open(FlightStream stream, BufferAllocator allocator) {
    return new FlightStreamReader(stream, allocator, ExactColumns.plan(stream.getSchema(), stream.getDictionaryProvider()));
  }

  /** Why a batch was refused, if one was. */
  public Optional<EngineException> refusal() {
    return Optional.ofNullable(refusal);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    if (!stream.next()) {
      return false;
    }
    VectorSchemaRoot sent = stream.getRoot();
    List<FieldVector> converted = new ArrayList<>();
    try {
      UntrustedArrow.check(sent, stream.getDictionaryProvider(), "the uploaded batch");
      List<Field> fields = new ArrayList<>();
      List<FieldVector> vectors = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        Column column = columns.get(i);
        FieldVector original = sent.getVector(i);
        FieldVector replacement = ColumnConverter.convert(column, original, stream.getDictionaryProvider(), allocator);
        if (replacement != null) {
          converted.add(replacement);
        }
        fields.add(column.target());
        vectors.add(replacement == null ? original : replacement);
      }
      VectorSchemaRoot view = new VectorSchemaRoot(fields, vectors, sent.getRowCount());
      try (ArrowRecordBatch batch = new VectorUnloader(view).getRecordBatch()) {
        loadRecordBatch(batch);
      }
      return true;
    } catch (EngineException e) {
      refusal = e;
      throw new IOException(e.getMessage(), e);
    } finally {
      converted.forEach(FieldVector::close);
    }
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
    return new Schema(columns.stream().map(Column::target).toList(), stream.getSchema().getCustomMetadata());
  }
}
