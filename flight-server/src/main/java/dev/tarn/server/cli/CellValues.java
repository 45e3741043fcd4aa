package dev.tarn.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.ViewVarBinaryVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;

/**
 * A result cell as a plain Java value the printers can write: null, Boolean, Long, BigInteger,
 * BigDecimal, Float, Double, String, a List of such values (lists, and maps as lists of key/value
 * objects) or a Map from field name to value (structs). Arrow's own {@code getObject} answers
 * raw numbers for dates, times and zoned timestamps, signed numbers for unsigned types and
 * {@code byte[]} for binaries; here dates and times are ISO-8601 text, zoned timestamps are
 * instants ({@code 2024-01-02T03:04:05Z}), unsigned numbers keep their value and binaries are
 * {@code \x01\xAB} text.
 */
final class CellValues {
  /**
   * JSON for nested values in table and CSV output, and the base of the JSON lines writer.
   * Non-finite numbers are written as the strings "NaN", "Infinity" and "-Infinity" (as
   * PostgreSQL's to_json does): bare NaN is not JSON. Floating-point numbers are written with the
   * shortest digits that read back as the same number (Jackson's Schubfach writer, as Java 19 and later
   * print them; Java 17's own printing adds digits to about one number in twenty).
   */
  static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private static final HexFormat BYTES = HexFormat.ofDelimiter("").withPrefix("\\x").withUpperCase();

  private CellValues() {}

  /** The value of the cell in {@code row} of {@code vector}. */
  static Object of(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof StructVector struct) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (FieldVector child : struct.getChildrenFromFields()) {
        fields.put(child.getName(), of(child, row));
      }
      return fields;
    }
    if (vector instanceof ListVector list) { // and MapVector, a list of key/value structs
      return elements(list.getDataVector(), list.getElementStartIndex(row), list.getElementEndIndex(row));
    }
    if (vector instanceof FixedSizeListVector list) {
      return elements(list.getDataVector(), list.getElementStartIndex(row), list.getElementEndIndex(row));
    }
    if (vector instanceof LargeListVector list) {
      return elements(list.getDataVector(), Math.toIntExact(list.getElementStartIndex(row)),
          Math.toIntExact(list.getElementEndIndex(row)));
    }
    return scalar(vector, row);
  }

  private static List<Object> elements(FieldVector data, int start, int end) {
    List<Object> values = new ArrayList<>(end - start);
    for (int i = start; i < end; i++) {
      values.add(of(data, i));
    }
    return values;
  }

  private static Object scalar(FieldVector vector, int row) {
    if (vector instanceof UInt1Vector v) {
      return v.getObjectNoOverflow(row).longValue();
    }
    if (vector instanceof UInt2Vector v) {
      return (long) v.get(row); // a char: unsigned already
    }
    if (vector instanceof UInt4Vector v) {
      return v.getObjectNoOverflow(row);
    }
    if (vector instanceof UInt8Vector v) {
      return v.getObjectNoOverflow(row);
    }
    if (vector instanceof BaseIntVector v) {
      return v.getValueAsLong(row);
    }
    if (vector instanceof Float4Vector v) {
      return v.get(row);
    }
    if (vector instanceof Float8Vector v) {
      return v.get(row);
    }
    if (vector instanceof BitVector v) {
      return v.get(row) != 0;
    }
    if (vector instanceof DecimalVector v) {
      return v.getObject(row);
    }
    if (vector instanceof Decimal256Vector v) {
      return v.getObject(row);
    }
    if (vector instanceof DateDayVector v) {
      return LocalDate.ofEpochDay(v.get(row)).toString();
    }
    if (vector instanceof DateMilliVector v) {
      return LocalDate.ofEpochDay(Math.floorDiv(v.get(row), 86_400_000L)).toString();
    }
    if (vector instanceof TimeSecVector v) {
      return timeOfDay(v.get(row) * 1_000_000_000L);
    }
    if (vector instanceof TimeMilliVector v) {
      return timeOfDay(v.get(row) * 1_000_000L);
    }
    if (vector instanceof TimeMicroVector v) {
      return timeOfDay(v.get(row) * 1_000L);
    }
    if (vector instanceof TimeNanoVector v) {
      return timeOfDay(v.get(row));
    }
    if (vector instanceof TimeStampVector v
        && v.getField().getType() instanceof ArrowType.Timestamp type && type.getTimezone() != null) {
      return instant(v.get(row), type).toString();
    }
    if (vector instanceof VarBinaryVector || vector instanceof LargeVarBinaryVector
        || vector instanceof FixedSizeBinaryVector || vector instanceof ViewVarBinaryVector) {
      return BYTES.formatHex((byte[]) vector.getObject(row));
    }
    return plain(vector.getObject(row)); // text, timestamps without a zone, intervals, unions
  }

  /** A time of day as ISO-8601 text; DuckDB's TIME '24:00:00', the end of a day, is past what LocalTime holds. */
  private static String timeOfDay(long nanosOfDay) {
    return nanosOfDay == NANOS_PER_DAY ? "24:00" : LocalTime.ofNanoOfDay(nanosOfDay).toString();
  }

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /** Arrow hands zoned timestamps back as raw numbers since the epoch, in the type's unit. */
  private static Instant instant(long raw, ArrowType.Timestamp type) {
    return switch (type.getUnit()) {
      case SECOND -> Instant.ofEpochSecond(raw);
      case MILLISECOND -> Instant.ofEpochMilli(raw);
      case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L), Math.floorMod(raw, 1_000_000L) * 1000);
      case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L), Math.floorMod(raw, 1_000_000_000L));
    };
  }

  /** What {@code getObject} gave, for the vectors not read above: Arrow's Text and the like as strings. */
  private static Object plain(Object value) {
    if (value == null || value instanceof Boolean || value instanceof Number) {
      return value;
    }
    if (value instanceof Text || value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof byte[] bytes) {
      return BYTES.formatHex(bytes);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CellValues::plain).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> fields = new LinkedHashMap<>();
      map.forEach((k, v) -> fields.put(String.valueOf(k), plain(v)));
      return fields;
    }
    return value.toString();
  }

  /** The value as one line of text for table and CSV output: nested values as compact JSON; null stays null. */
  static String text(Object value) {
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      try {
        return JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) { // plain values always serialize
        throw new IllegalStateException(e);
      }
    }
    if (value instanceof Double d) {
      return NumberOutput.toString(d, true);
    }
    if (value instanceof Float f) {
      return NumberOutput.toString(f, true);
    }
    return value == null ? null : value.toString();
  }
}
