package dev.tarn.core.arrow;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Decides, for every column a client uploads (bulk ingest), whether its values reach the table
 * exactly: {@linkplain Conversion#AS_SENT as sent} (DuckDB's Arrow scan and the Iceberg mapping keep
 * every value, possibly in a wider type), {@linkplain Conversion converted} here first by an exact
 * conversion, or refused with a message naming the column and its Arrow type. A value that would
 * change silently is never accepted.
 *
 * <p>Conversions apply to top-level columns only; inside a list, struct or map, a type that would
 * need one is refused, so the nested rules stay simple to state.
 */
public final class ExactColumns {
  private ExactColumns() {}

  /** How a top-level column is brought into a form DuckDB stores exactly. */
  public enum Conversion {
    /** Stored as sent (DuckDB may widen the type; the values do not change). */
    AS_SENT,
    /** Dictionary-encoded: decoded to its values (then stored as sent). */
    DECODE_DICTIONARY,
    /** float16 widened to float32 (every half-precision value is a float). */
    WIDEN_FLOAT16,
    /** Nanosecond timestamps to microseconds; refused when a value has sub-microsecond digits. */
    TIMESTAMP_NANOS_TO_MICROS,
    /** Nanosecond times of day to microseconds; refused when a value has sub-microsecond digits. */
    TIME_NANOS_TO_MICROS,
    /** date64 (milliseconds) to date32 (days); refused when a value is not midnight. */
    DATE_MILLIS_TO_DAYS,
    /** 256-bit decimals of at most 38 digits to 128-bit ones. */
    NARROW_DECIMAL256
  }

  /** The plan for one uploaded column: what arrives, what DuckDB is handed, how to get there. */
  public record Column(Field source, Field target, Conversion conversion) {}

  /** Decimal precision Iceberg (and DuckDB) store. */
  static final int MAX_DECIMAL_PRECISION = 38;

  /**
   * The plan for every column of an upload; throws a refusal naming the first column Tarn cannot
   * store exactly, or a name that repeats ({@link DistinctNames}). {@code dictionaries} are the upload's (their value types are known with the schema).
   */
  public static List<Column> plan(Schema schema, DictionaryProvider dictionaries) {
    DistinctNames.check(schema);
    List<Column> columns = new ArrayList<>();
    for (Field field : schema.getFields()) {
      columns.add(plan(field, dictionaries));
    }
    return columns;
  }

  static Column plan(Field field, DictionaryProvider dictionaries) {
    String column = field.getName();
    if (field.getDictionary() != null) {
      // in memory a dictionary-encoded field has its index type; the values' field is the dictionary's
      Dictionary dictionary = dictionaries.lookup(field.getDictionary().getId());
      if (dictionary == null) {
        throw refusal(column, null, field.getType(), "the upload declares no dictionary "
            + field.getDictionary().getId() + " for it");
      }
      Field valueField = dictionary.getVector().getField();
      Field values = new Field(field.getName(),
          new FieldType(field.isNullable(), valueField.getType(), null, field.getMetadata()), valueField.getChildren());
      Conversion inner = conversionOf(column, values);
      if (inner != Conversion.AS_SENT) {
        throw refusal(column, null, valueField.getType(),
            "dictionaries of this value type are not supported; send the values without dictionary encoding");
      }
      return new Column(field, values, Conversion.DECODE_DICTIONARY);
    }
    Conversion conversion = conversionOf(column, field);
    return new Column(field, targetOf(field, conversion), conversion);
  }

  private static Conversion conversionOf(String column, Field field) {
    ArrowType type = field.getType();
    switch (type.getTypeID()) {
      case FloatingPoint -> {
        return ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.HALF
            ? Conversion.WIDEN_FLOAT16 : Conversion.AS_SENT;
      }
      case Timestamp -> {
        return ((ArrowType.Timestamp) type).getUnit() == TimeUnit.NANOSECOND
            ? Conversion.TIMESTAMP_NANOS_TO_MICROS : Conversion.AS_SENT;
      }
      case Time -> {
        return ((ArrowType.Time) type).getUnit() == TimeUnit.NANOSECOND
            ? Conversion.TIME_NANOS_TO_MICROS : Conversion.AS_SENT;
      }
      case Date -> {
        return ((ArrowType.Date) type).getUnit() == DateUnit.MILLISECOND
            ? Conversion.DATE_MILLIS_TO_DAYS : Conversion.AS_SENT;
      }
      case Decimal -> {
        checkDecimal(column, null, (ArrowType.Decimal) type);
        return ((ArrowType.Decimal) type).getBitWidth() == 256 ? Conversion.NARROW_DECIMAL256 : Conversion.AS_SENT;
      }
      default -> {
        checkStorableAsSent(column, null, field);
        return Conversion.AS_SENT;
      }
    }
  }

  /**
   * Checks a field (and everything inside it) that is handed to DuckDB unchanged: its values must
   * arrive exactly. {@code path} names where the field sits inside the column (null at the top).
   */
  private static void checkStorableAsSent(String column, String path, Field field) {
    ArrowType type = field.getType();
    if (field.getDictionary() != null) {
      throw refusal(column, path, type, "dictionary-encoded values inside a list, struct or map are not supported;"
          + " decode them before sending");
    }
    switch (type.getTypeID()) {
      case Null -> throw refusal(column, path, type,
          "a column of the null type has no type to store; send it with a type (e.g. string or int64)");
      case Union -> throw refusal(column, path, type, "Iceberg has no union type");
      case Interval -> throw refusal(column, path, type, "Iceberg has no interval type");
      case Duration -> throw refusal(column, path, type, "Iceberg has no duration type; send an int64 count instead");
      case FloatingPoint -> {
        if (((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.HALF) {
          throw nestedRefusal(column, path, type, "float32");
        }
      }
      case Timestamp -> {
        if (((ArrowType.Timestamp) type).getUnit() == TimeUnit.NANOSECOND) {
          throw nestedRefusal(column, path, type, "microsecond timestamps");
        }
      }
      case Time -> {
        if (((ArrowType.Time) type).getUnit() == TimeUnit.NANOSECOND) {
          throw nestedRefusal(column, path, type, "microsecond times");
        }
      }
      case Date -> {
        if (((ArrowType.Date) type).getUnit() == DateUnit.MILLISECOND) {
          throw nestedRefusal(column, path, type, "date32");
        }
      }
      case Decimal -> {
        ArrowType.Decimal decimal = (ArrowType.Decimal) type;
        checkDecimal(column, path, decimal);
        if (decimal.getBitWidth() != 128) {
          throw nestedRefusal(column, path, type, "decimal128");
        }
      }
      case Struct -> {
        if (field.getChildren().isEmpty()) {
          throw refusal(column, path, type, "a struct needs at least one field");
        }
        for (Field child : field.getChildren()) {
          checkStorableAsSent(column, childPath(path, "field \"" + child.getName() + "\""), child);
        }
      }
      case Map -> {
        // a map's one child is its entries struct of key and value
        for (Field entry : field.getChildren().get(0).getChildren()) {
          checkStorableAsSent(column, childPath(path, "map " + entry.getName()), entry);
        }
      }
      case List, LargeList, FixedSizeList, ListView, LargeListView ->
          checkStorableAsSent(column, childPath(path, "list element"), field.getChildren().get(0));
      case RunEndEncoded -> {
        if (path != null) {
          throw refusal(column, path, type, "run-end encoded values inside a list, struct or map are not"
              + " supported; decode them before sending");
        }
        checkStorableAsSent(column, "run-end encoded values", field.getChildren().get(1));
      }
      default -> {
        // integers (unsigned ones widened), booleans, strings, binaries of every layout: stored exactly
      }
    }
  }

  private static void checkDecimal(String column, String path, ArrowType.Decimal decimal) {
    if (decimal.getScale() < 0 || decimal.getScale() > decimal.getPrecision()) {
      throw refusal(column, path, decimal, "the scale must be between 0 and the precision");
    }
    if (decimal.getPrecision() > MAX_DECIMAL_PRECISION) {
      throw refusal(column, path, decimal, "Iceberg decimals have at most " + MAX_DECIMAL_PRECISION + " digits");
    }
  }

  private static Field targetOf(Field field, Conversion conversion) {
    ArrowType type = field.getType();
    ArrowType target = switch (conversion) {
      case AS_SENT, DECODE_DICTIONARY -> type;
      case WIDEN_FLOAT16 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case TIMESTAMP_NANOS_TO_MICROS ->
          new ArrowType.Timestamp(TimeUnit.MICROSECOND, ((ArrowType.Timestamp) type).getTimezone());
      case TIME_NANOS_TO_MICROS -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case DATE_MILLIS_TO_DAYS -> new ArrowType.Date(DateUnit.DAY);
      case NARROW_DECIMAL256 -> {
        ArrowType.Decimal d = (ArrowType.Decimal) type;
        yield new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
      }
    };
    if (target == type) {
      return field;
    }
    return new Field(field.getName(), new FieldType(field.isNullable(), target, null, field.getMetadata()), List.of());
  }

  private static String childPath(String path, String child) {
    return path == null ? child : path + ", " + child;
  }

  private static EngineException nestedRefusal(String column, String path, ArrowType type, String instead) {
    return refusal(column, path, type, "inside a list, struct or map it is not converted; send " + instead);
  }

  /** The refusal of a column: names the column, where in it the type sits, and the type. */
  static EngineException refusal(String column, String path, ArrowType type, String why) {
    return new EngineException(Reason.INVALID, "column \"" + column + "\"" + (path == null ? "" : " (" + path + ")")
        + " has Arrow type " + describe(type) + ", which Tarn cannot store exactly: " + why);
  }

  /** A type as Arrow's own libraries print it in Python and C++ ({@code timestamp[ns]}, {@code decimal256(50, 2)}). */
  public static String describe(ArrowType type) {
    return switch (type.getTypeID()) {
      case Null -> "null";
      case FloatingPoint -> switch (((ArrowType.FloatingPoint) type).getPrecision()) {
        case HALF -> "float16 (halffloat)";
        case SINGLE -> "float32";
        case DOUBLE -> "float64";
      };
      case Decimal -> {
        ArrowType.Decimal d = (ArrowType.Decimal) type;
        yield "decimal" + d.getBitWidth() + "(" + d.getPrecision() + ", " + d.getScale() + ")";
      }
      case Timestamp -> {
        ArrowType.Timestamp t = (ArrowType.Timestamp) type;
        yield "timestamp[" + unit(t.getUnit()) + (t.getTimezone() == null ? "" : ", tz=" + t.getTimezone()) + "]";
      }
      case Time -> "time" + ((ArrowType.Time) type).getBitWidth() + "[" + unit(((ArrowType.Time) type).getUnit()) + "]";
      case Date -> ((ArrowType.Date) type).getUnit() == DateUnit.DAY ? "date32" : "date64";
      case Duration -> "duration[" + unit(((ArrowType.Duration) type).getUnit()) + "]";
      case Interval -> switch (((ArrowType.Interval) type).getUnit()) {
        case YEAR_MONTH -> "month_interval";
        case DAY_TIME -> "day_time_interval";
        case MONTH_DAY_NANO -> "month_day_nano_interval";
      };
      case Union -> ((ArrowType.Union) type).getMode().name().toLowerCase(java.util.Locale.ROOT) + "_union";
      case Struct -> "struct";
      case Map -> "map";
      case RunEndEncoded -> "run_end_encoded";
      default -> type.toString();
    };
  }

  private static String unit(TimeUnit unit) {
    return switch (unit) {
      case SECOND -> "s";
      case MILLISECOND -> "ms";
      case MICROSECOND -> "us";
      case NANOSECOND -> "ns";
    };
  }
}
