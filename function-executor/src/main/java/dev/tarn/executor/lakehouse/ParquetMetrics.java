package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.DataFileSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.UnicodeUtil;

/**
 * Reads a Parquet file's footer through DuckDB ({@code parquet_file_metadata}, {@code
 * parquet_schema}, {@code parquet_metadata}) and turns it into Iceberg metrics keyed by field id:
 * record count, column sizes, value and null counts, and lower/upper bounds in Iceberg's Java
 * representation, so Iceberg's scan planning can skip the file.
 *
 * <p>Bounds are only kept when they are certainly right: every row group of the column has
 * statistics, the value parses for the column's type, the column is not inside a list or map, and
 * the type orders the same way in Parquet and Iceberg (no bounds for binary and UUID columns).
 * Strings are truncated to {@value #STRING_BOUND_LENGTH} characters (a shorter lower bound, an
 * incremented upper bound), as Iceberg's own writers do. A missing bound only costs pruning.
 *
 * <p>Files Tarn writes itself take their metrics from the statistics DuckDB's {@code COPY} returns
 * ({@link #fromCopyStatistics}): reading the footer again cost about as much as writing the file.
 */
public final class ParquetMetrics {
  /** Iceberg's default metrics mode truncates string bounds to 16 characters. */
  public static final int STRING_BOUND_LENGTH = 16;

  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();
  private static final Pattern OFFSET = Pattern.compile("^(.*?)([+-])(\\d{2})(?::?(\\d{2}))?(?::?(\\d{2}))?$");

  private ParquetMetrics() {}

  /** The metrics of one Parquet file written with {@code schema}'s field ids. */
  public static DataFileSpec read(Connection connection, String path, long fileSizeInBytes, Schema schema)
      throws SQLException {
    String file = Sql.literal(path);
    long records;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT num_rows FROM parquet_file_metadata(" + file + ")")) {
      rs.next();
      records = rs.getLong(1);
    }
    // Leaf columns in schema order: parquet_metadata's column_id is the index among the leaves.
    List<Integer> leafIds = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT field_id, num_children FROM parquet_schema(" + file + ") ORDER BY column_id")) {
      boolean root = true;
      while (rs.next()) {
        if (root) {
          root = false;
          continue;
        }
        int children = rs.getInt(2);
        if (rs.wasNull() || children == 0) {
          int id = rs.getInt(1);
          leafIds.add(rs.wasNull() ? null : id);
        }
      }
    }
    Set<Integer> repeated = repeatedFieldIds(schema);
    Map<Integer, Long> sizes = new HashMap<>();
    Map<Integer, Long> values = new HashMap<>();
    Map<Integer, Long> nulls = new HashMap<>();
    Set<Integer> noNullCount = new HashSet<>();
    Map<Integer, Object> lower = new HashMap<>();
    Map<Integer, Object> upper = new HashMap<>();
    Set<Integer> noBounds = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT column_id, num_values, stats_null_count, stats_min_value, stats_max_value,"
                + " total_compressed_size FROM parquet_metadata(" + file + ")")) {
      while (rs.next()) {
        int leaf = rs.getInt(1);
        Integer id = leaf < leafIds.size() ? leafIds.get(leaf) : null;
        if (id == null) {
          continue;
        }
        long count = rs.getLong(2);
        long nullCount = rs.getLong(3);
        boolean nullCountKnown = !rs.wasNull();
        String min = rs.getString(4);
        String max = rs.getString(5);
        long size = rs.getLong(6);
        sizes.merge(id, size, Long::sum);
        values.merge(id, count, Long::sum);
        if (nullCountKnown) {
          nulls.merge(id, nullCount, Long::sum);
        } else {
          noNullCount.add(id);
        }
        Type type = schema.findType(id);
        if (type == null || !type.isPrimitiveType() || repeated.contains(id) || noBounds.contains(id)) {
          continue;
        }
        boolean allNull = nullCountKnown && nullCount == count;
        if (allNull) {
          continue; // a row group of only nulls has no bounds and needs none
        }
        Object lo = min == null ? null : parse(type.asPrimitiveType(), min, false);
        Object hi = max == null ? null : parse(type.asPrimitiveType(), max, true);
        if (lo == null || hi == null) {
          noBounds.add(id);
          lower.remove(id);
          upper.remove(id);
          continue;
        }
        Comparator<Object> cmp = comparator(type);
        lower.merge(id, lo, (a, b) -> cmp.compare(a, b) <= 0 ? a : b);
        upper.merge(id, hi, (a, b) -> cmp.compare(a, b) >= 0 ? a : b);
      }
    }
    noNullCount.forEach(nulls::remove);
    return withTruncatedStrings(path, fileSizeInBytes, records, schema, sizes, values, nulls, lower, upper);
  }

  /**
   * The metrics of a file DuckDB just wrote with {@code COPY ... (RETURN_STATS)}, from the
   * statistics that statement returned ({@code column_statistics}: per column path, such as {@code
   * "s"."x"}, a map of {@code min}, {@code max}, {@code null_count}, {@code num_values} and more), so
   * the file is not opened again. Bounds follow the same rules as {@link #read}, and are also left
   * out when DuckDB says a bound is not exact or the column holds NaN. Empty when some top-level
   * column has no statistics there: the caller then reads the footer.
   */
  public static java.util.Optional<DataFileSpec> fromCopyStatistics(String path, long fileSizeInBytes, long records,
      Map<?, ?> columnStatistics, Schema schema) {
    Map<String, Integer> idsByPath = new HashMap<>();
    for (Types.NestedField f : schema.columns()) {
      if (!columnStatistics.containsKey(quotedPath("", f.name()))) {
        return java.util.Optional.empty();
      }
      collectPaths("", f, idsByPath);
    }
    Set<Integer> repeated = repeatedFieldIds(schema);
    Map<Integer, Long> sizes = new HashMap<>();
    Map<Integer, Long> values = new HashMap<>();
    Map<Integer, Long> nulls = new HashMap<>();
    Map<Integer, Object> lower = new HashMap<>();
    Map<Integer, Object> upper = new HashMap<>();
    for (Map.Entry<String, Integer> e : idsByPath.entrySet()) {
      int id = e.getValue();
      Type type = schema.findType(id);
      if (!type.isPrimitiveType() || !(columnStatistics.get(e.getKey()) instanceof Map<?, ?> stats)) {
        continue;
      }
      Long size = longStatistic(stats, "column_size_bytes");
      Long count = longStatistic(stats, "num_values");
      Long nullCount = longStatistic(stats, "null_count");
      if (size != null) {
        sizes.put(id, size);
      }
      if (count != null) {
        values.put(id, count);
      }
      if (nullCount != null) {
        nulls.put(id, nullCount);
      }
      boolean exact = "true".equals(String.valueOf(stats.get("min_is_exact")))
          && "true".equals(String.valueOf(stats.get("max_is_exact")));
      boolean nan = "true".equals(String.valueOf(stats.get("has_nan")));
      if (repeated.contains(id) || !exact || nan || count == null || nullCount == null || nullCount.equals(count)) {
        continue; // inside a list or map, inexact, NaN (above every number in DuckDB), or all null
      }
      Object lo = copyBound(type.asPrimitiveType(), stats.get("min"), false);
      Object hi = copyBound(type.asPrimitiveType(), stats.get("max"), true);
      if (lo != null && hi != null) {
        lower.put(id, lo);
        upper.put(id, hi);
      }
    }
    return java.util.Optional.of(
        withTruncatedStrings(path, fileSizeInBytes, records, schema, sizes, values, nulls, lower, upper));
  }

  /** A bound from RETURN_STATS: as {@link #parse}, with booleans printed as 0 and 1. */
  private static Object copyBound(Type.PrimitiveType type, Object value, boolean upper) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    if (type.typeId() == Type.TypeID.BOOLEAN) {
      text = switch (text) {
        case "0" -> "false";
        case "1" -> "true";
        default -> text;
      };
    }
    return parse(type, text, upper);
  }

  private static Long longStatistic(Map<?, ?> stats, String name) {
    Object v = stats.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.valueOf(v.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** How RETURN_STATS names a column: each part double-quoted, joined by dots. */
  private static String quotedPath(String parent, String name) {
    String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
    return parent.isEmpty() ? quoted : parent + "." + quoted;
  }

  private static void collectPaths(String parent, Types.NestedField field, Map<String, Integer> out) {
    String path = quotedPath(parent, field.name());
    out.put(path, field.fieldId());
    Type type = field.type();
    if (type.isStructType()) {
      type.asStructType().fields().forEach(child -> collectPaths(path, child, out));
    } else if (type.isListType()) {
      collectPaths(path, Types.NestedField.optional(type.asListType().elementId(), "element",
          type.asListType().elementType()), out);
    } else if (type.isMapType()) {
      Types.MapType map = type.asMapType();
      collectPaths(path, Types.NestedField.required(map.keyId(), "key", map.keyType()), out);
      collectPaths(path, Types.NestedField.optional(map.valueId(), "value", map.valueType()), out);
    }
  }

  private static DataFileSpec withTruncatedStrings(String path, long fileSizeInBytes, long records, Schema schema,
      Map<Integer, Long> sizes, Map<Integer, Long> values, Map<Integer, Long> nulls, Map<Integer, Object> lower,
      Map<Integer, Object> upper) {
    for (Integer id : List.copyOf(lower.keySet())) {
      if (schema.findType(id).typeId() == Type.TypeID.STRING) {
        String lo = lower.get(id).toString();
        String hi = upper.get(id).toString();
        lower.put(id, UnicodeUtil.truncateStringMin(lo, STRING_BOUND_LENGTH));
        String truncatedHi = UnicodeUtil.truncateStringMax(hi, STRING_BOUND_LENGTH);
        if (truncatedHi == null) {
          upper.remove(id);
        } else {
          upper.put(id, truncatedHi);
        }
      }
    }
    return new DataFileSpec(path, FileFormat.PARQUET, fileSizeInBytes, records, null,
        sizes, values, nulls, lower, upper);
  }

  @SuppressWarnings("unchecked")
  private static Comparator<Object> comparator(Type type) {
    return (Comparator<Object>) (Comparator<?>) Comparators.forType(type.asPrimitiveType());
  }

  /** Field ids inside a list or map: their per-row-group statistics do not describe rows. */
  private static Set<Integer> repeatedFieldIds(Schema schema) {
    Set<Integer> out = new HashSet<>();
    for (Types.NestedField f : schema.columns()) {
      collectRepeated(f.type(), false, out);
    }
    return out;
  }

  private static void collectRepeated(Type type, boolean inside, Set<Integer> out) {
    if (type.isPrimitiveType()) {
      return;
    }
    boolean repeatedHere = inside || type.isListType() || type.isMapType();
    for (Types.NestedField child : type.asNestedType().fields()) {
      if (repeatedHere) {
        out.add(child.fieldId());
      }
      collectRepeated(child.type(), repeatedHere, out);
    }
  }

  /**
   * A Parquet statistic as DuckDB prints it, in Iceberg's Java representation for {@code type};
   * null when it cannot be used as a bound.
   */
  static Object parse(Type.PrimitiveType type, String text, boolean upper) {
    try {
      return switch (type.typeId()) {
        case BOOLEAN -> switch (text) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> null;
        };
        case INTEGER -> Integer.valueOf(text);
        case LONG -> Long.valueOf(text);
        // SQL has -0.0 = 0.0, while Iceberg orders -0.0 below 0.0: a bound at zero is widened to
        // both zeros (Parquet's own rule for its statistics), or a file whose largest value is -0.0
        // would be skipped for "= 0" and ">= 0"
        case FLOAT -> {
          float f = parseFloating(text).floatValue();
          yield Float.isNaN(f) ? null : f == 0.0f ? (upper ? 0.0f : -0.0f) : f;
        }
        case DOUBLE -> {
          double d = parseFloating(text);
          yield Double.isNaN(d) ? null : d == 0.0 ? (upper ? 0.0 : -0.0) : d;
        }
        case DECIMAL -> {
          BigDecimal d = new BigDecimal(text);
          int scale = ((Types.DecimalType) type).scale();
          yield d.setScale(scale, upper ? RoundingMode.CEILING : RoundingMode.FLOOR);
        }
        case DATE -> (int) LocalDate.parse(text).toEpochDay();
        case TIME -> LocalTime.parse(text).toNanoOfDay() / 1000;
        case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
            ? timestampTz(text)
            : micros(LocalDateTime.parse(text, TIMESTAMP), ZoneOffset.UTC);
        case STRING -> text;
        default -> null; // binary, fixed, uuid: Parquet's and Iceberg's orders may differ
      };
    } catch (RuntimeException e) {
      return null; // infinity, BC dates and other unusual renderings: no bound
    }
  }

  private static Double parseFloating(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "inf", "infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
      case "nan", "-nan" -> Double.NaN;
      default -> Double.valueOf(text);
    };
  }

  private static Long timestampTz(String text) {
    Matcher m = OFFSET.matcher(text);
    if (!m.matches()) {
      return null;
    }
    int sign = m.group(2).equals("-") ? -1 : 1;
    int hours = Integer.parseInt(m.group(3));
    int minutes = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
    int seconds = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
    ZoneOffset offset = ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
    return micros(LocalDateTime.parse(m.group(1), TIMESTAMP), offset);
  }

  private static long micros(LocalDateTime t, ZoneOffset offset) {
    // Not ChronoUnit.MICROS.between: it counts in nanoseconds and overflows outside 1677-2262,
    // which would drop the bounds of files holding dates like 2999-12-31.
    java.time.Instant instant = t.toInstant(offset);
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }
}
