package dev.tarn.jdbc;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.IntervalDayVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.holders.NullableIntervalDayHolder;
import org.apache.arrow.vector.holders.NullableIntervalMonthDayNanoHolder;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** Picks the {@link ColumnReader} for an Arrow vector by its type. */
final class ColumnReaders {
  private ColumnReaders() {}

  static ColumnReader forVector(FieldVector vector, DictionaryProvider dictionaries) {
    Field field = vector.getField();
    if (field.getDictionary() != null && dictionaries != null) {
      Dictionary dictionary = dictionaries.lookup(field.getDictionary().getId());
      if (dictionary != null) {
        ColumnReader values = forVector(dictionary.getVector(), null);
        return new DictionaryReader(field.getName(), values, (BaseIntVector) vector);
      }
    }
    SqlType type = SqlType.of(field);
    String name = field.getName();
    if (type.name().equals("UUID") && vector instanceof FixedSizeBinaryVector binary) {
      return new Reader(name, type, vector, row -> uuid(binary.get(row)));
    }
    if (type.name().equals("UUID") && vector instanceof VarCharVector text) {
      return new Reader(name, type, vector, row -> UUID.fromString(text.getObject(row).toString()));
    }
    if (vector instanceof UInt1Vector v) {
      return new WholeNumbers(name, type, vector, row -> v.get(row) & 0xFF);
    }
    if (vector instanceof UInt2Vector v) {
      return new WholeNumbers(name, type, vector, row -> v.get(row));
    }
    if (vector instanceof UInt4Vector v) {
      return new WholeNumbers(name, type, vector, row -> Integer.toUnsignedLong(v.get(row)));
    }
    if (vector instanceof UInt8Vector v) {
      return new Reader(name, type, vector, row -> new BigDecimal(Long.toUnsignedString(v.get(row))));
    }
    // The common widths read their data buffer directly: the vectors' own getters check for null
    // again, which the reader has done already.
    if (vector instanceof BigIntVector v) {
      return new WholeNumbers(name, type, vector, row -> BigIntVector.get(v.getDataBuffer(), row));
    }
    if (vector instanceof IntVector v) {
      return new WholeNumbers(name, type, vector, row -> IntVector.get(v.getDataBuffer(), row));
    }
    if (vector instanceof BaseIntVector v) {
      return new WholeNumbers(name, type, vector, v::getValueAsLong);
    }
    if (vector instanceof BitVector v) {
      return new Reader(name, type, vector, row -> v.get(row) != 0);
    }
    if (vector instanceof Float8Vector v) {
      return new FloatingPointNumbers(name, type, vector, row -> Float8Vector.get(v.getDataBuffer(), row));
    }
    if (vector instanceof FloatingPointVector v) {
      return new FloatingPointNumbers(name, type, vector, v::getValueAsDouble);
    }
    if (vector instanceof BaseVariableWidthVector v && type.jdbcType() == java.sql.Types.VARCHAR) {
      return new Reader(name, type, vector, row -> new String(v.get(row), StandardCharsets.UTF_8));
    }
    if (vector instanceof BaseLargeVariableWidthVector v && type.jdbcType() == java.sql.Types.VARCHAR) {
      return new Reader(name, type, vector, row -> new String(v.get(row), StandardCharsets.UTF_8));
    }
    if (vector instanceof DateDayVector v) {
      return new Reader(name, type, vector, row -> LocalDate.ofEpochDay(v.get(row)));
    }
    if (vector instanceof DateMilliVector v) {
      return new Reader(name, type, vector, row -> LocalDate.ofEpochDay(Math.floorDiv(v.get(row), 86_400_000L)));
    }
    if (vector instanceof TimeSecVector v) {
      return new Reader(name, type, vector, row -> LocalTime.ofSecondOfDay(v.get(row)));
    }
    if (vector instanceof TimeMilliVector v) {
      return new Reader(name, type, vector, row -> LocalTime.ofNanoOfDay(v.get(row) * 1_000_000L));
    }
    if (vector instanceof TimeMicroVector v) {
      return new Reader(name, type, vector, row -> LocalTime.ofNanoOfDay(v.get(row) * 1_000L));
    }
    if (vector instanceof TimeNanoVector v) {
      return new Reader(name, type, vector, row -> LocalTime.ofNanoOfDay(v.get(row)));
    }
    if (vector instanceof TimeStampVector v) {
      return timestamp(name, type, v);
    }
    if (vector instanceof IntervalMonthDayNanoVector v) {
      return new Reader(name, type, vector, row -> {
        NullableIntervalMonthDayNanoHolder holder = new NullableIntervalMonthDayNanoHolder();
        v.get(row, holder);
        return new TarnInterval(holder.months, holder.days, holder.nanoseconds);
      });
    }
    if (vector instanceof IntervalDayVector v) {
      return new Reader(name, type, vector, row -> {
        NullableIntervalDayHolder holder = new NullableIntervalDayHolder();
        v.get(row, holder);
        return new TarnInterval(0, holder.days, holder.milliseconds * 1_000_000L);
      });
    }
    if (vector instanceof IntervalYearVector v) {
      return new Reader(name, type, vector, row -> new TarnInterval(v.get(row), 0, 0));
    }
    if (vector instanceof DurationVector v) {
      TimeUnit unit = unit(((ArrowType.Duration) field.getType()).getUnit());
      return new Reader(name, type, vector, row -> new TarnInterval(0, 0, unit.toNanos(DurationVector.get(
          v.getDataBuffer(), row))));
    }
    if (vector instanceof MapVector v) {
      StructVector entries = (StructVector) v.getDataVector();
      ColumnReader keys = forVector(entries.getChildrenFromFields().get(0), dictionaries);
      ColumnReader values = forVector(entries.getChildrenFromFields().get(1), dictionaries);
      return new Reader(name, type, vector, row -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = v.getElementStartIndex(row); i < v.getElementEndIndex(row); i++) {
          map.put(keys.object(i), values.object(i));
        }
        return map;
      });
    }
    if (vector instanceof ListVector v) {
      ColumnReader elements = forVector(v.getDataVector(), dictionaries);
      return new Reader(name, type, vector, row -> array(elements, v.getElementStartIndex(row),
          v.getElementEndIndex(row)));
    }
    if (vector instanceof LargeListVector v) {
      ColumnReader elements = forVector(v.getDataVector(), dictionaries);
      return new Reader(name, type, vector, row -> array(elements, Math.toIntExact(v.getElementStartIndex(row)),
          Math.toIntExact(v.getElementEndIndex(row))));
    }
    if (vector instanceof FixedSizeListVector v) {
      ColumnReader elements = forVector(v.getDataVector(), dictionaries);
      int size = v.getListSize();
      return new Reader(name, type, vector, row -> array(elements, row * size, row * size + size));
    }
    if (vector instanceof StructVector v) {
      List<ColumnReader> children = new ArrayList<>();
      for (FieldVector child : v.getChildrenFromFields()) {
        children.add(forVector(child, dictionaries));
      }
      return new Reader(name, type, vector, row -> {
        Object[] attributes = new Object[children.size()];
        for (int i = 0; i < attributes.length; i++) {
          attributes[i] = children.get(i).object(row);
        }
        return new TarnStruct(type.name(), children.stream().map(ColumnReader::name).toList(), attributes);
      });
    }
    return new Reader(name, type, vector, vector::getObject);
  }

  private static TarnArray array(ColumnReader elements, int start, int end) {
    Object[] values = new Object[end - start];
    for (int i = start; i < end; i++) {
      values[i - start] = elements.object(i);
    }
    return new TarnArray(elements.type(), values);
  }

  private static UUID uuid(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  /**
   * A timestamp without a zone is a wall-clock reading ({@code LocalDateTime}); one with a zone is
   * an instant, shown at the zone the column carries ({@code OffsetDateTime}).
   */
  private static ColumnReader timestamp(String name, SqlType type, TimeStampVector vector) {
    ArrowType.Timestamp arrow = (ArrowType.Timestamp) vector.getField().getType();
    TimeUnit unit = unit(arrow.getUnit());
    if (arrow.getTimezone() == null) {
      return new Reader(name, type, vector, row -> {
        Instant instant = instant(vector.get(row), unit);
        return LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
      });
    }
    ZoneId zone = zone(arrow.getTimezone());
    return new Reader(name, type, vector, row -> OffsetDateTime.ofInstant(instant(vector.get(row), unit), zone));
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }

  private static Instant instant(long value, TimeUnit unit) {
    long perSecond = unit.convert(1, TimeUnit.SECONDS);
    return Instant.ofEpochSecond(Math.floorDiv(value, perSecond),
        unit.toNanos(Math.floorMod(value, perSecond)));
  }

  private static TimeUnit unit(org.apache.arrow.vector.types.TimeUnit unit) {
    return switch (unit) {
      case SECOND -> TimeUnit.SECONDS;
      case MILLISECOND -> TimeUnit.MILLISECONDS;
      case MICROSECOND -> TimeUnit.MICROSECONDS;
      case NANOSECOND -> TimeUnit.NANOSECONDS;
    };
  }

  @FunctionalInterface
  private interface Values {
    Object at(int row);
  }

  /** A reader of one vector: its nulls come from the vector's validity. */
  private abstract static class VectorReader extends ColumnReader {
    private final ValueVector vector;

    VectorReader(String name, SqlType type, ValueVector vector) {
      super(name, type);
      this.vector = vector;
    }

    @Override
    final boolean isNull(int row) {
      return vector.isNull(row);
    }
  }

  /** A reader of a plain column: its values from a function. */
  private static final class Reader extends VectorReader {
    private final Values values;

    Reader(String name, SqlType type, ValueVector vector, Values values) {
      super(name, type, vector);
      this.values = values;
    }

    @Override
    Object value(int row) {
      return values.at(row);
    }
  }

  @FunctionalInterface
  private interface LongValues {
    long at(int row);
  }

  /**
   * A column of whole numbers that fit a long: its objects are {@code Long} for BIGINT-typed
   * columns and {@code Integer} for narrower ones, as {@link SqlType#className()} says.
   */
  private static final class WholeNumbers extends VectorReader {
    private final LongValues values;
    private final boolean boxAsLong;

    WholeNumbers(String name, SqlType type, ValueVector vector, LongValues values) {
      super(name, type, vector);
      this.values = values;
      this.boxAsLong = type.jdbcType() == java.sql.Types.BIGINT;
    }

    @Override
    Object value(int row) {
      long value = values.at(row);
      return boxAsLong ? (Object) value : (Object) (int) value;
    }

    @Override
    boolean holdsLongs() {
      return true;
    }

    @Override
    long longValue(int row) {
      return values.at(row);
    }
  }

  @FunctionalInterface
  private interface DoubleValues {
    double at(int row);
  }

  /** A column of floating-point numbers: {@code Float} objects for REAL columns, {@code Double} otherwise. */
  private static final class FloatingPointNumbers extends VectorReader {
    private final DoubleValues values;
    private final boolean real;

    FloatingPointNumbers(String name, SqlType type, ValueVector vector, DoubleValues values) {
      super(name, type, vector);
      this.values = values;
      this.real = type.jdbcType() == java.sql.Types.REAL;
    }

    @Override
    Object value(int row) {
      double value = values.at(row);
      return real ? (Object) (float) value : (Object) value;
    }

    @Override
    boolean holdsDoubles() {
      return true;
    }

    @Override
    double doubleValue(int row) {
      return values.at(row);
    }
  }

  /** A dictionary-encoded column (DuckDB's ENUM): indices into a vector of values. */
  private static final class DictionaryReader extends ColumnReader {
    private final ColumnReader values;
    private final BaseIntVector indices;

    DictionaryReader(String name, ColumnReader values, BaseIntVector indices) {
      super(name, values.type());
      this.values = values;
      this.indices = indices;
    }

    @Override
    boolean isNull(int row) {
      return indices.isNull(row);
    }

    @Override
    Object value(int row) {
      return values.object((int) indices.getValueAsLong(row));
    }
  }
}
