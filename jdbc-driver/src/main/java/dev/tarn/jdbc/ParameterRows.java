package dev.tarn.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Bound parameter values, one row per execution, sent to the server as an Arrow batch. Each
 * parameter's Arrow type follows the Java value bound to it (the first non-null one in a batch):
 * java.sql.Timestamp and LocalDateTime are wall-clock TIMESTAMPs, Instant and OffsetDateTime are
 * TIMESTAMP WITH TIME ZONE.
 */
final class ParameterRows {
  private final int count;
  private Object[] current;
  private final List<Object[]> rows = new ArrayList<>();

  ParameterRows(int count) {
    this.count = count;
    this.current = new Object[count];
  }

  int count() {
    return count;
  }

  void set(int index, Object value) throws SQLException {
    if (index < 1 || index > count) {
      throw new SQLException("parameter index " + index + " is out of range: the statement has " + count
          + " parameters", "07009");
    }
    current[index - 1] = value == null ? Null.VALUE : normalize(index, value);
  }

  void clear() {
    current = new Object[count];
  }

  /** The current values as one more row of a batch. */
  void addRow() throws SQLException {
    rows.add(complete(current));
    current = new Object[count];
  }

  List<Object[]> takeRows() {
    List<Object[]> taken = List.copyOf(rows);
    rows.clear();
    return taken;
  }

  List<Object[]> currentRow() throws SQLException {
    return List.<Object[]>of(complete(current));
  }

  private Object[] complete(Object[] row) throws SQLException {
    for (int i = 0; i < row.length; i++) {
      if (row[i] == null) {
        throw new SQLException("parameter " + (i + 1) + " is not set", "07001");
      }
    }
    return row.clone();
  }

  /** A placeholder for a bound NULL, apart from "not set". */
  private enum Null { VALUE }

  private static Object normalize(int index, Object value) throws SQLException {
    if (value instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    if (value instanceof java.sql.Time t) {
      return t.toLocalTime();
    }
    if (value instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (value instanceof UUID || value instanceof Character || value instanceof TarnInterval) {
      return value.toString();
    }
    if (value instanceof Boolean || value instanceof Byte || value instanceof Short || value instanceof Integer
        || value instanceof Long || value instanceof Float || value instanceof Double || value instanceof BigDecimal
        || value instanceof String || value instanceof byte[] || value instanceof LocalDate
        || value instanceof LocalTime || value instanceof LocalDateTime || value instanceof Instant) {
      return value;
    }
    throw new SQLException("parameter " + index + ": cannot bind a " + value.getClass().getName()
        + "; bind a String, number, Boolean, byte[], date/time value or UUID", "HY105");
  }

  /** The rows as an Arrow batch; the caller closes it. */
  static VectorSchemaRoot toArrow(List<Object[]> rows, int count, BufferAllocator allocator) throws SQLException {
    List<Field> fields = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      fields.add(new Field("p" + (p + 1), FieldType.nullable(arrowType(rows, p)), null));
    }
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    try {
      root.allocateNew();
      for (int p = 0; p < count; p++) {
        FieldVector vector = root.getVector(p);
        for (int r = 0; r < rows.size(); r++) {
          write(vector, r, rows.get(r)[p], p + 1);
        }
        vector.setValueCount(rows.size());
      }
      root.setRowCount(rows.size());
      return root;
    } catch (SQLException | RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static ArrowType arrowType(List<Object[]> rows, int p) {
    Object sample = null;
    int scale = 0;
    for (Object[] row : rows) {
      if (row[p] != Null.VALUE && sample == null) {
        sample = row[p];
      }
      if (row[p] instanceof BigDecimal d) {
        scale = Math.max(scale, Math.max(0, d.scale()));
      }
    }
    if (sample == null) {
      return ArrowType.Utf8.INSTANCE; // all NULL: an untyped NULL the engine casts where it is used
    }
    if (sample instanceof Boolean) {
      return ArrowType.Bool.INSTANCE;
    }
    // Integers go as BIGINT and floats as DOUBLE, so a batch mixing setInt and setLong loses nothing.
    if (sample instanceof Byte || sample instanceof Short || sample instanceof Integer || sample instanceof Long) {
      return new ArrowType.Int(64, true);
    }
    if (sample instanceof Float || sample instanceof Double) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    }
    if (sample instanceof BigDecimal) {
      return new ArrowType.Decimal(38, Math.min(scale, 37), 128);
    }
    if (sample instanceof byte[]) {
      return ArrowType.Binary.INSTANCE;
    }
    if (sample instanceof LocalDate) {
      return new ArrowType.Date(DateUnit.DAY);
    }
    if (sample instanceof LocalTime) {
      return new ArrowType.Time(TimeUnit.MICROSECOND, 64);
    }
    if (sample instanceof LocalDateTime) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
    }
    if (sample instanceof Instant) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    }
    return ArrowType.Utf8.INSTANCE;
  }

  private static void write(FieldVector vector, int row, Object value, int parameter) throws SQLException {
    if (value == Null.VALUE) {
      vector.setNull(row);
      return;
    }
    try {
      if (vector instanceof BitVector v) {
        v.setSafe(row, (Boolean) value ? 1 : 0);
      } else if (vector instanceof BigIntVector v) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
          throw new ClassCastException();
        }
        v.setSafe(row, ((Number) value).longValue());
      } else if (vector instanceof Float8Vector v) {
        // a float's decimal digits as written (1.1f is 1.1, not 1.100000023841858)
        v.setSafe(row, value instanceof Float f ? Double.parseDouble(f.toString()) : (Double) value);
      } else if (vector instanceof DecimalVector v) {
        v.setSafe(row, ((BigDecimal) value).setScale(v.getScale(), RoundingMode.UNNECESSARY));
      } else if (vector instanceof VarBinaryVector v) {
        v.setSafe(row, (byte[]) value);
      } else if (vector instanceof DateDayVector v) {
        v.setSafe(row, Math.toIntExact(((LocalDate) value).toEpochDay()));
      } else if (vector instanceof TimeMicroVector v) {
        v.setSafe(row, ((LocalTime) value).toNanoOfDay() / 1_000);
      } else if (vector instanceof TimeStampMicroVector v) {
        v.setSafe(row, micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
      } else if (vector instanceof TimeStampMicroTZVector v) {
        v.setSafe(row, micros((Instant) value));
      } else if (vector instanceof VarCharVector v) {
        v.setSafe(row, (value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : Conversions.text(value))
            .getBytes(StandardCharsets.UTF_8));
      } else {
        throw new IllegalStateException("no writer for " + vector.getField());
      }
    } catch (ClassCastException | ArithmeticException e) {
      throw new SQLException("parameter " + parameter + " holds values of different types in one batch ("
          + value.getClass().getSimpleName() + " where " + vector.getField().getType() + " was bound first)",
          "HY105", e);
    }
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }
}
