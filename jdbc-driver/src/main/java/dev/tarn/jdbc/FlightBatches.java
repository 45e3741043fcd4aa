package dev.tarn.jdbc;

import java.sql.SQLException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
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
      requireWellFormed(stream.getRoot(), stream.getDictionaryProvider());
    }
    return loaded;
  }

  /**
   * Refuses a batch whose buffers are shorter than its row count says, or whose dictionary-encoded
   * values point outside their dictionary, which would otherwise fail later reads with an unchecked
   * IndexOutOfBoundsException. Checks sizes and dictionary indices only, not every value.
   */
  static void requireWellFormed(VectorSchemaRoot batch, DictionaryProvider dictionaries) throws SQLException {
    // Arrow's buffer check only: its type check (ValueVectorUtility.validate) refuses every MAP
    ValidateVectorBufferVisitor sizes = new ValidateVectorBufferVisitor();
    for (FieldVector column : batch.getFieldVectors()) {
      try {
        column.accept(sizes, null);
      } catch (ValidateUtil.ValidateException e) {
        throw malformed(column.getName(), e.getMessage(), e);
      } catch (UnsupportedOperationException e) {
        // a kind of vector the check does not know (Arrow's view vectors): read as it came
      }
      requireIndicesInDictionary(column.getName(), column, dictionaries);
    }
  }

  /** Every non-null index of a dictionary-encoded vector, nested ones included, names a value. */
  private static void requireIndicesInDictionary(String column, FieldVector vector, DictionaryProvider dictionaries)
      throws SQLException {
    DictionaryEncoding encoding = vector.getField().getDictionary();
    if (encoding != null) {
      Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(encoding.getId());
      if (dictionary == null) {
        throw malformed(column, "its dictionary " + encoding.getId() + " was never sent", null);
      }
      if (!(vector instanceof BaseIntVector indices)) {
        throw malformed(column, "its dictionary indices are " + vector.getField().getType() + ", not integers", null);
      }
      int size = dictionary.getVector().getValueCount();
      for (int row = 0; row < vector.getValueCount(); row++) {
        if (!vector.isNull(row)) {
          long index = indices.getValueAsLong(row);
          if (index < 0 || index >= size) {
            throw malformed(column, "row " + row + " points at entry " + index + " of a dictionary of " + size, null);
          }
        }
      }
    }
    for (FieldVector child : vector.getChildrenFromFields()) {
      requireIndicesInDictionary(column, child, dictionaries);
    }
  }

  private static SQLException malformed(String column, String problem, Exception cause) {
    return new SQLException("the server sent a malformed result batch: column " + column + ": " + problem, "08S01",
        cause);
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
