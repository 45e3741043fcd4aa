package dev.tarn.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/**
 * Reads every GetSqlInfo answer once per connection: info code to a String, Boolean, Long,
 * Integer (bitmask) or List of Strings.
 */
final class SqlInfoReader {
  private SqlInfoReader() {}

  @SuppressWarnings("try") // FlightStream.close() declares Exception, which includes InterruptedException
  static Map<Integer, Object> read(ServerLink link) throws SQLException {
    Map<Integer, Object> info = new HashMap<>();
    try (FlightStream stream = link.stream(link.sql().getSqlInfo(new int[0], link.options()), 0)) {
      while (stream.next()) {
        VectorSchemaRoot root = stream.getRoot();
        UInt4Vector names = (UInt4Vector) root.getVector(0);
        FieldVector values = root.getVector(1);
        for (int row = 0; row < root.getRowCount(); row++) {
          Object value = plain(values.getObject(row));
          if (value != null) {
            info.put(names.get(row), value);
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("reading the server's SQL info failed: " + e.getMessage(), "08001", e);
    }
    return info;
  }

  private static Object plain(Object value) {
    if (value instanceof Text text) {
      return text.toString();
    }
    if (value instanceof List<?> list) {
      List<String> strings = new ArrayList<>();
      for (Object element : list) {
        strings.add(String.valueOf(plain(element)));
      }
      return List.copyOf(strings);
    }
    if (value instanceof Map<?, ?>) {
      return null; // int32_to_int32_list_map: conversions, which the driver does not report
    }
    return value;
  }
}
