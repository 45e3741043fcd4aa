package dev.tarn.jdbc;

import java.sql.SQLException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

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
    try {
      return stream.next();
    } catch (FlightRuntimeException e) {
      throw errors.translate(e, timeoutSeconds);
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
