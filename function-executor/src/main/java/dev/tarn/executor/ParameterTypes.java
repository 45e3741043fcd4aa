package dev.tarn.executor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The Arrow type a client should bind for a DuckDB parameter type. Unknown types (DuckDB could not
 * infer one, as in {@code SELECT ? AS x}) become strings, which DuckDB casts as needed.
 *
 * <p>Times and timestamps are declared in milliseconds: the Flight SQL JDBC driver (18.x) writes
 * {@code java.sql.Timestamp} and {@code Time} values as milliseconds whatever the declared unit, so a
 * microsecond declaration would shift them a thousandfold. Milliseconds are what JDBC carries anyway.
 */
final class ParameterTypes {
  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

  private ParameterTypes() {}

  /**
   * Values tried, in order, for a parameter DuckDB cannot type ({@code SELECT ? + 1}): the first
   * DuckDB binds decides the type clients are told to send. A string fits most places ({@code
   * SELECT ?}, comparisons); arithmetic takes a number.
   */
  private static final List<Map.Entry<String, Object>> PROBES = List.of(
      Map.entry("VARCHAR", "0"), Map.entry("BIGINT", 0L), Map.entry("DOUBLE", 0.5d));

  /** Whether DuckDB left the parameter's type open. */
  static boolean isUnresolved(String duckDbTypeName) {
    return duckDbTypeName == null || duckDbTypeName.equals("INVALID") || duckDbTypeName.equals("UNKNOWN");
  }

  /**
   * The first type in {@link #PROBES} whose value DuckDB binds at {@code position} (the other
   * parameters NULL), checked on the statement wrapped in {@code LIMIT 0} so nothing runs;
   * {@code VARCHAR} when none fits or the statement cannot be wrapped.
   */
  static String firstAccepted(Connection connection, String sql, int position, int count) {
    String body = sql.strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).strip();
    }
    for (Map.Entry<String, Object> probe : PROBES) {
      try (PreparedStatement ps = connection.prepareStatement(
          "SELECT * FROM (" + body + "\n) AS tarn_parameter_probe LIMIT 0")) {
        for (int i = 1; i <= count; i++) {
          ps.setObject(i, i == position ? probe.getValue() : null);
        }
        ps.executeQuery().close();
        return probe.getKey();
      } catch (SQLException rejected) {
        // DuckDB cannot bind this kind of value there; try the next
      }
    }
    return "VARCHAR";
  }

  static ArrowType arrowTypeOf(String duckDbTypeName) {
    String name = duckDbTypeName == null ? "" : duckDbTypeName.toUpperCase(Locale.ROOT).strip();
    Matcher decimal = DECIMAL.matcher(name);
    if (decimal.matches()) {
      return new ArrowType.Decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)), 128);
    }
    return switch (name) {
      case "BOOLEAN" -> ArrowType.Bool.INSTANCE;
      case "TINYINT" -> new ArrowType.Int(8, true);
      case "SMALLINT", "UTINYINT" -> new ArrowType.Int(16, true);
      case "INTEGER", "USMALLINT" -> new ArrowType.Int(32, true);
      case "BIGINT", "UINTEGER" -> new ArrowType.Int(64, true);
      case "HUGEINT", "UBIGINT", "UHUGEINT" -> new ArrowType.Decimal(38, 0, 128);
      case "FLOAT" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case "DOUBLE" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "BLOB" -> ArrowType.Binary.INSTANCE;
      case "DATE" -> new ArrowType.Date(DateUnit.DAY);
      case "TIME" -> new ArrowType.Time(TimeUnit.MILLISECOND, 32);
      case "TIMESTAMP" -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
      case "TIMESTAMP WITH TIME ZONE" -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC");
      default -> ArrowType.Utf8.INSTANCE;
    };
  }
}
