package dev.tarn.jdbc;

import java.sql.SQLException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.validate.ValidateUtil;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;

/** A result streamed from the server: each {@link #next()} waits for one more batch. */
final class FlightBatches implements Batches {
  private final FlightStream stream;
  private final ErrorTranslator errors;
  private final int timeoutSeconds;

  FlightBatches(FlightStream stream, ErrorTranslator errors, int timeoutSeconds) {
    this.stream = stream;
    this.errors = errors;
    this.timeoutSeconds = timeoutSeconds;
  }

  @Override
  public VectorSchemaRoot root() {
    return stream.getRoot();
  }

  @Override
  public DictionaryProvider dictionaries() {
    return stream.getDictionaryProvider();
  }

  @Override
  public boolean next() throws SQLException {
    boolean loaded;
    try {
      loaded = stream.next();
    } catch (FlightRuntimeException e) {
      throw errors.translate(e, timeoutSeconds);
    }
    if (loaded) {
      requireWellFormed(stream.getRoot());
    }
    return loaded;
  }

  /**
   * Refuses a batch whose buffers are shorter than its row count says, which would otherwise fail
   * later reads with an unchecked IndexOutOfBoundsException. Checks sizes only, not every value.
   */
  static void requireWellFormed(VectorSchemaRoot batch) throws SQLException {
    // Arrow's buffer check only: its type check (ValueVectorUtility.validate) refuses every MAP
    ValidateVectorBufferVisitor sizes = new ValidateVectorBufferVisitor();
    for (FieldVector column : batch.getFieldVectors()) {
      try {
        column.accept(sizes, null);
      } catch (ValidateUtil.ValidateException e) {
        throw new SQLException("the server sent a malformed result batch: column " + column.getName() + ": "
            + e.getMessage(), "08S01", e);
      } catch (UnsupportedOperationException e) {
        // a kind of vector the check does not know (Arrow's view vectors): read as it came
      }
    }
  }

  @Override
  public void cancel() {
    stream.cancel("cancelled by the client", null);
  }

  @Override
  public void close() throws SQLException {
    try {
      stream.close();
    } catch (FlightRuntimeException e) {
      // closing a stream the server already ended (cancelled, timed out) reports that end again
    } catch (Exception e) {
      throw new SQLException("closing the result stream failed: " + e.getMessage(), "HY000", e);
    }
  }
}
