package dev.tarn.server.flight;

import dev.tarn.server.flight.TarnStatusException.Kind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;

/**
 * Reads bound parameter values sent by a client (one Arrow row per execution) into the Java
 * values DuckDB's JDBC binding accepts.
 */
final class ParameterReader {
  private ParameterReader() {}

  /** Every row of every batch the client sent, each as a list of values in parameter order. */
  static List<List<Object>> readAll(FlightStream stream) {
    List<List<Object>> rows = new ArrayList<>();
    while (stream.next()) {
      VectorSchemaRoot root = stream.getRoot();
      for (int row = 0; row < root.getRowCount(); row++) {
        List<Object> values = new ArrayList<>();
        for (FieldVector vector : root.getFieldVectors()) {
          values.add(valueAt(vector, row));
        }
        rows.add(values);
      }
    }
    return rows;
  }

  static Object valueAt(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof DateDayVector days) {
      return LocalDate.ofEpochDay(days.get(row));
    }
    if (vector instanceof DateMilliVector millis) {
      return LocalDate.ofEpochDay(Math.floorDiv(millis.get(row), 86_400_000L));
    }
    if (vector instanceof TimeStampVector ts) {
      return timestamp(ts, row);
    }
    if (vector instanceof TimeSecVector t) {
      return LocalTime.ofSecondOfDay(t.get(row));
    }
    if (vector instanceof TimeMilliVector t) {
      return LocalTime.ofNanoOfDay(t.get(row) * 1_000_000L);
    }
    if (vector instanceof TimeMicroVector t) {
      return LocalTime.ofNanoOfDay(t.get(row) * 1_000L);
    }
    if (vector instanceof TimeNanoVector t) {
      return LocalTime.ofNanoOfDay(t.get(row));
    }
    Object value = vector.getObject(row);
    if (value instanceof Text text) {
      return text.toString();
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
        || value instanceof Float || value instanceof Double || value instanceof Boolean
        || value instanceof java.math.BigDecimal || value instanceof byte[] || value instanceof String) {
      return value;
    }
    throw new TarnStatusException(Kind.INVALID_ARGUMENT, "parameters of type " + vector.getField().getType()
        + " are not supported; bind numbers, strings, booleans, dates, times, timestamps or binary");
  }

  private static Object timestamp(TimeStampVector vector, int row) {
    long raw = vector.get(row);
    ArrowType.Timestamp type = (ArrowType.Timestamp) vector.getField().getType();
    Instant instant = switch (type.getUnit()) {
      case SECOND -> Instant.ofEpochSecond(raw);
      case MILLISECOND -> Instant.ofEpochMilli(raw);
      case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L), Math.floorMod(raw, 1_000_000L) * 1_000L);
      case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L), Math.floorMod(raw, 1_000_000_000L));
    };
    if (type.getTimezone() == null) {
      return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    return instant.atOffset(ZoneOffset.UTC);
  }
}
