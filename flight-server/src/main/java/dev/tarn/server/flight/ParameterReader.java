package dev.tarn.server.flight;

import dev.tarn.core.arrow.ExactColumns;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.executor.UntrustedArrow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;

/**
 * Reads bound parameter values sent by a client (one Arrow row per execution) into the Java
 * values DuckDB's JDBC binding accepts.
 */
final class ParameterReader {
  private ParameterReader() {}

  /**
   * Every row of every batch the client sent, each as a list of values in parameter order; reading
   * stops at the first row past {@code limits}.
   *
   * @throws TarnException RESOURCE_EXHAUSTED naming the limit and its flag
   */
  static List<List<Object>> readAll(FlightStream stream, ParameterLimits limits) {
    ParameterBudget budget = new ParameterBudget(limits);
    List<List<Object>> rows = new ArrayList<>();
    while (stream.next()) {
      VectorSchemaRoot root = stream.getRoot();
      // checked here for a clear error: the values are read in Java, whose reads are bounds-checked
      UntrustedArrow.check(root, stream.getDictionaryProvider(), "the parameters' batch");
      List<FieldVector> vectors = root.getFieldVectors();
      for (int row = 0; row < root.getRowCount(); row++) {
        List<Object> values = new ArrayList<>(vectors.size());
        for (int p = 0; p < vectors.size(); p++) {
          values.add(valueAt(vectors.get(p), row, p + 1, stream.getDictionaryProvider()));
        }
        budget.count(values);
        rows.add(java.util.Collections.unmodifiableList(values));
      }
    }
    return java.util.Collections.unmodifiableList(rows);
  }

  /**
   * The value of parameter {@code position} (1-based) in a row, exactly: unsigned integers keep
   * their magnitude, dictionary-encoded values are looked up, and a value that would change on the
   * way to DuckDB (sub-microsecond digits) or that DuckDB cannot bind is refused naming the
   * parameter and its type.
   */
  static Object valueAt(FieldVector vector, int row, int position, DictionaryProvider dictionaries) {
    if (vector.isNull(row)) {
      return null;
    }
    DictionaryEncoding encoding = vector.getField().getDictionary();
    if (encoding != null) {
      Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(encoding.getId());
      if (dictionary == null) {
        throw refused(vector, position, "its dictionary was not sent");
      }
      int index = (int) ((BaseIntVector) vector).getValueAsLong(row);
      return valueAt(dictionary.getVector(), index, position, dictionaries);
    }
    if (vector instanceof UInt1Vector u) {
      return u.getObjectNoOverflow(row);
    }
    if (vector instanceof UInt2Vector u) {
      return (int) u.get(row);
    }
    if (vector instanceof UInt4Vector u) {
      return u.getObjectNoOverflow(row);
    }
    if (vector instanceof UInt8Vector u) {
      // DuckDB binds BigDecimal exactly (DECIMAL(20,0) for the largest values)
      return new java.math.BigDecimal(u.getObjectNoOverflow(row));
    }
    if (vector instanceof Float2Vector half) {
      return half.getValueAsFloat(row);
    }
    if (vector instanceof TimeStampVector ts
        && ((ArrowType.Timestamp) ts.getField().getType()).getUnit() == org.apache.arrow.vector.types.TimeUnit.NANOSECOND
        && ts.get(row) % 1_000L != 0) {
      throw refused(vector, position, "the value " + ts.get(row) + " has sub-microsecond digits, which DuckDB does"
          + " not keep; round it to microseconds");
    }
    if (vector instanceof TimeNanoVector t && t.get(row) % 1_000L != 0) {
      throw refused(vector, position, "the value " + t.get(row) + " has sub-microsecond digits, which DuckDB does"
          + " not keep; round it to microseconds");
    }
    return valueAt(vector, row, position);
  }

  private static TarnException refused(FieldVector vector, int position, String why) {
    return new TarnException(Kind.INVALID_ARGUMENT, "parameter " + position + " (" + vector.getField().getName()
        + ") has Arrow type " + ExactColumns.describe(vector.getField().getType()) + ", which Tarn cannot bind exactly: "
        + why);
  }

  private static Object valueAt(FieldVector vector, int row, int position) {
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
    if (value instanceof java.math.BigDecimal decimal) {
      return DecimalParameters.exact(decimal).orElseThrow(() -> refused(vector, position, "the value "
          + decimal.toPlainString() + " needs " + DecimalParameters.digitsNeeded(decimal) + " digits ("
          + Math.max(0, decimal.stripTrailingZeros().scale()) + " after the point), and DuckDB decimals hold at most "
          + DecimalParameters.MAX_PRECISION + "; send it as a string or a float if an approximation will do"));
    }
    if (value instanceof Text text) {
      return text.toString();
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
        || value instanceof Float || value instanceof Double || value instanceof Boolean
        || value instanceof java.math.BigDecimal || value instanceof byte[] || value instanceof String) {
      return value;
    }
    throw refused(vector, position, "bind numbers, strings, booleans, dates, times, timestamps or binary");
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
