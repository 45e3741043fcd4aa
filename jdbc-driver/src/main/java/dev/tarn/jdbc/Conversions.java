package dev.tarn.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Turns a column's value (as {@link ColumnReader#object} returns it) into what a JDBC getter asks
 * for. A value that cannot become the asked type fails naming the column, its type and the target.
 *
 * <p>Time zones: a TIMESTAMP (no zone) is a wall-clock reading, so {@code getTimestamp()} shows the
 * same clock in the JVM's zone (or the given Calendar's); a TIMESTAMP WITH TIME ZONE is an instant
 * and comes back as that instant whatever the JVM's zone.
 */
final class Conversions {
  private Conversions() {}

  static String text(Object value) {
    if (value instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().withUpperCase().formatHex(bytes);
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof LocalDateTime dateTime) {
      return dateTime.toLocalDate() + " " + dateTime.toLocalTime();
    }
    if (value instanceof OffsetDateTime dateTime) {
      return dateTime.toLocalDate() + " " + dateTime.toLocalTime() + dateTime.getOffset();
    }
    return value.toString();
  }

  static SQLException cannot(ColumnReader column, Object value, String target) {
    return new SQLDataException("column " + column.name() + " (" + column.type().name() + ") value '"
        + text(value) + "' cannot be read as " + target, "22018");
  }

  static Number number(ColumnReader column, Object value, String target) throws SQLException {
    if (value instanceof Number n) {
      return n;
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        return new BigDecimal(s.trim());
      } catch (NumberFormatException e) {
        throw cannot(column, value, target);
      }
    }
    throw cannot(column, value, target);
  }

  /**
   * {@code value} as a whole number from {@code min} to {@code max}, its fraction dropped (toward
   * zero, as a cast does): too large a number fails with 22003, a value that is no number with 22018.
   */
  static long integral(ColumnReader column, Object value, long min, long max, String target) throws SQLException {
    if (value instanceof Double || value instanceof Float) {
      return integral(column, ((Number) value).doubleValue(), min, max, target);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return integral(column, ((Number) value).longValue(), min, max, target);
    }
    BigDecimal exact = decimal(column, number(column, value, target), target);
    if (exact.signum() == 0) {
      return 0; // zero has a digit before the point whatever its exponent ('0e30')
    }
    // The digits before the point, found without expanding the number: a text such as '1e9999999'
    // would take seconds to scale, and its error would carry ten million digits. A long, since an
    // exponent near the int limit ('1e2147483647') overflows an int.
    long wholeDigits = (long) exact.precision() - exact.scale();
    if (wholeDigits <= 0) {
      return 0;
    }
    if (wholeDigits > 19) {
      throw outOfRange(column, exact.toString(), target);
    }
    long result;
    try {
      result = exact.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw outOfRange(column, exact.toPlainString(), target);
    }
    if (result < min || result > max) {
      throw outOfRange(column, exact.toPlainString(), target);
    }
    return result;
  }

  /** A whole {@code value}, checked to lie from {@code min} to {@code max}. */
  static long integral(ColumnReader column, long value, long min, long max, String target) throws SQLException {
    if (value < min || value > max) {
      throw outOfRange(column, Long.toString(value), target);
    }
    return value;
  }

  /**
   * A floating-point {@code value} as a whole number, its fraction dropped: the double's own value,
   * not its shortest text (2^60 stays 2^60, not 1152921504606846980).
   */
  static long integral(ColumnReader column, double value, long min, long max, String target) throws SQLException {
    if (Double.isNaN(value)) {
      throw cannot(column, value, target);
    }
    double whole = value < 0 ? Math.ceil(value) : Math.floor(value);
    // (double) Long.MAX_VALUE rounds up to 2^63, so the upper bound is max + 1, excluded
    if (whole < (double) min || whole >= (double) max + 1.0) {
      throw outOfRange(column, Double.toString(value), target);
    }
    return (long) whole;
  }

  /** The whole part of {@code value}: a double's own value, not its shortest text. */
  private static BigInteger bigInteger(ColumnReader column, Object value) throws SQLException {
    Number n = number(column, value, "BigInteger");
    try {
      if (n instanceof Double || n instanceof Float) {
        return new BigDecimal(n.doubleValue()).toBigInteger();
      }
      return decimal(n).toBigInteger();
    } catch (NumberFormatException | ArithmeticException e) {
      throw cannot(column, value, "BigInteger"); // NaN, an infinity, or an exponent past BigInteger's
    }
  }

  private static SQLException outOfRange(ColumnReader column, String value, String target) {
    return new SQLDataException("column " + column.name() + " value " + value + " is out of range for " + target,
        "22003");
  }

  /** {@code n} as a decimal; NaN and the infinities have none, and fail naming the column. */
  static BigDecimal decimal(ColumnReader column, Number n, String target) throws SQLException {
    try {
      return decimal(n);
    } catch (NumberFormatException e) {
      throw cannot(column, n, target);
    }
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  static boolean bool(ColumnReader column, Object value) throws SQLException {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue() != 0; // NaN is not zero: true
    }
    if (value instanceof Number n) {
      return decimal(n).signum() != 0;
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (t.equalsIgnoreCase("true") || t.equals("1")) {
        return true;
      }
      if (t.equalsIgnoreCase("false") || t.equals("0")) {
        return false;
      }
    }
    throw cannot(column, value, "BOOLEAN");
  }

  static byte[] bytes(ColumnReader column, Object value) throws SQLException {
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    if (value instanceof UUID u) {
      return java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
          .putLong(u.getLeastSignificantBits()).array();
    }
    throw cannot(column, value, "bytes");
  }

  private static ZoneId zone(Calendar calendar) {
    return calendar == null ? ZoneId.systemDefault() : calendar.getTimeZone().toZoneId();
  }

  static Timestamp timestamp(ColumnReader column, Object value, Calendar calendar) throws SQLException {
    if (value instanceof LocalDateTime wallClock) {
      return calendar == null ? Timestamp.valueOf(wallClock)
          : Timestamp.from(wallClock.atZone(zone(calendar)).toInstant());
    }
    if (value instanceof OffsetDateTime instant) {
      return Timestamp.from(instant.toInstant());
    }
    if (value instanceof LocalDate date) {
      return timestamp(column, date.atStartOfDay(), calendar);
    }
    if (value instanceof String s) {
      try {
        return Timestamp.valueOf(s.trim());
      } catch (IllegalArgumentException e) {
        throw cannot(column, value, "TIMESTAMP");
      }
    }
    throw cannot(column, value, "TIMESTAMP");
  }

  static Date date(ColumnReader column, Object value, Calendar calendar) throws SQLException {
    LocalDate date;
    if (value instanceof LocalDate d) {
      date = d;
    } else if (value instanceof LocalDateTime wallClock) {
      date = wallClock.toLocalDate();
    } else if (value instanceof OffsetDateTime instant) {
      date = instant.atZoneSameInstant(zone(calendar)).toLocalDate();
    } else if (value instanceof String s) {
      try {
        date = LocalDate.parse(s.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw cannot(column, value, "DATE");
      }
    } else {
      throw cannot(column, value, "DATE");
    }
    return calendar == null ? Date.valueOf(date)
        : new Date(date.atStartOfDay(zone(calendar)).toInstant().toEpochMilli());
  }

  static Time time(ColumnReader column, Object value, Calendar calendar) throws SQLException {
    LocalTime time;
    if (value instanceof LocalTime t) {
      time = t;
    } else if (value instanceof LocalDateTime wallClock) {
      time = wallClock.toLocalTime();
    } else if (value instanceof OffsetDateTime instant) {
      time = instant.atZoneSameInstant(zone(calendar)).toLocalTime();
    } else {
      throw cannot(column, value, "TIME");
    }
    ZonedDateTime onEpochDay = time.atDate(LocalDate.EPOCH).atZone(zone(calendar));
    return new Time(onEpochDay.toInstant().toEpochMilli());
  }

  /** getObject(column, type): the JDBC 4.2 conversions plus the java.time types. */
  @SuppressWarnings("unchecked")
  static <T> T as(ColumnReader column, Object value, Class<T> type) throws SQLException {
    if (value == null) {
      return null;
    }
    if (type.isInstance(value)) {
      return (T) value;
    }
    Object result;
    if (type == String.class) {
      result = text(value);
    } else if (type == Integer.class) {
      result = (int) integral(column, value, Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER");
    } else if (type == Long.class) {
      result = integral(column, value, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
    } else if (type == Short.class) {
      result = (short) integral(column, value, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
    } else if (type == Byte.class) {
      result = (byte) integral(column, value, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
    } else if (type == Double.class) {
      result = number(column, value, "DOUBLE").doubleValue();
    } else if (type == Float.class) {
      result = number(column, value, "REAL").floatValue();
    } else if (type == BigDecimal.class) {
      result = decimal(column, number(column, value, "DECIMAL"), "DECIMAL");
    } else if (type == BigInteger.class) {
      result = bigInteger(column, value);
    } else if (type == Boolean.class) {
      result = bool(column, value);
    } else if (type == byte[].class) {
      result = bytes(column, value);
    } else if (type == Timestamp.class) {
      result = timestamp(column, value, null);
    } else if (type == Date.class) {
      result = date(column, value, null);
    } else if (type == Time.class) {
      result = time(column, value, null);
    } else if (type == LocalDate.class) {
      result = date(column, value, null).toLocalDate();
    } else if (type == LocalTime.class && value instanceof OffsetDateTime instant) {
      result = instant.toLocalTime();
    } else if (type == LocalDateTime.class && value instanceof OffsetDateTime instant) {
      result = instant.atZoneSameInstant(ZoneId.systemDefault()).toLocalDateTime();
    } else if (type == Instant.class && value instanceof OffsetDateTime instant) {
      result = instant.toInstant();
    } else if (type == Instant.class && value instanceof LocalDateTime wallClock) {
      result = wallClock.atZone(ZoneId.systemDefault()).toInstant();
    } else if (type == OffsetDateTime.class && value instanceof LocalDateTime wallClock) {
      result = wallClock.atZone(ZoneId.systemDefault()).toOffsetDateTime();
    } else if (type == ZonedDateTime.class && value instanceof OffsetDateTime instant) {
      result = instant.toZonedDateTime();
    } else if (type == OffsetTime.class && value instanceof OffsetDateTime instant) {
      result = instant.toOffsetTime();
    } else if (type == UUID.class && value instanceof String s) {
      try {
        result = UUID.fromString(s.trim());
      } catch (IllegalArgumentException e) {
        throw cannot(column, value, "UUID");
      }
    } else if (type == java.time.Duration.class && value instanceof TarnInterval interval
        && interval.months() == 0) {
      result = interval.duration().plusDays(interval.days());
    } else if (type == java.time.Period.class && value instanceof TarnInterval interval && interval.nanos() == 0) {
      result = interval.period();
    } else {
      throw cannot(column, value, type.getName());
    }
    return (T) result;
  }
}
