package dev.tarn.executor;

import java.util.Locale;
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
