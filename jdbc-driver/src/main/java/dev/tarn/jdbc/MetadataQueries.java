package dev.tarn.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Runs one Flight SQL metadata call and reads its (small) answer into rows of Java values. */
final class MetadataQueries {
  @FunctionalInterface
  interface Call {
    FlightInfo run() throws FlightRuntimeException;
  }

  private final ServerLink link;

  MetadataQueries(ServerLink link) {
    this.link = link;
  }

  @SuppressWarnings("try") // FlightStream.close() declares Exception, which includes InterruptedException
  List<Object[]> rows(Call call) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (FlightStream stream = link.stream(call.run(), 0)) {
      List<ColumnReader> readers = null;
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        if (readers == null) {
          readers = new ArrayList<>();
          for (FieldVector vector : root.getFieldVectors()) {
            readers.add(ColumnReaders.forVector(vector, stream.getDictionaryProvider()));
          }
        }
        for (int row = 0; row < root.getRowCount(); row++) {
          Object[] values = new Object[readers.size()];
          for (int c = 0; c < values.length; c++) {
            values[c] = readers.get(c).object(row);
          }
          rows.add(values);
        }
      }
    } catch (FlightRuntimeException e) {
      throw link.errors().translate(e);
    } catch (SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("reading a metadata answer failed: " + e.getMessage(), "HY000", e);
    }
    return rows;
  }
}
