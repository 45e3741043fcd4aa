package dev.tarn.jdbc;

import java.sql.Types;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * How JDBC sees one Arrow column: its {@link Types} code, Tarn's (DuckDB's) type name, sizes and the
 * Java class {@code getObject} returns.
 *
 * @param precision digits of a number, characters of text and temporal values, 0 when unknown
 * @param displaySize characters a value needs when printed
 */
record SqlType(int jdbcType, String name, int precision, int scale, int displaySize, String className,
    boolean signed) {
  static final String UUID_EXTENSION = "arrow.uuid";
  /** Flight SQL's column metadata key for the server's own type name. */
  static final String TYPE_NAME_KEY = "ARROW:FLIGHT:SQL:TYPE_NAME";
  private static final int UNBOUNDED = Integer.MAX_VALUE;

  static SqlType of(Field field) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.ExtensionType extension) {
      if (extension.extensionName().equals(UUID_EXTENSION)) {
        return new SqlType(Types.OTHER, "UUID", 36, 0, 36, java.util.UUID.class.getName(), false);
      }
      type = extension.storageType();
    }
    String extensionName = field.getMetadata().get("ARROW:extension:name");
    // Tarn sends a UUID column as text named UUID in Flight SQL's column metadata
    if (UUID_EXTENSION.equals(extensionName) || "UUID".equals(field.getMetadata().get(TYPE_NAME_KEY))) {
      return new SqlType(Types.OTHER, "UUID", 36, 0, 36, java.util.UUID.class.getName(), false);
    }
    return switch (type.getTypeID()) {
      case Null -> new SqlType(Types.NULL, "NULL", 0, 0, 4, Object.class.getName(), false);
      case Bool -> new SqlType(Types.BOOLEAN, "BOOLEAN", 1, 0, 5, Boolean.class.getName(), false);
      case Int -> integer((ArrowType.Int) type);
      case FloatingPoint -> ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.DOUBLE
          ? new SqlType(Types.DOUBLE, "DOUBLE", 15, 0, 24, Double.class.getName(), true)
          : new SqlType(Types.REAL, "FLOAT", 7, 0, 15, Float.class.getName(), true);
      case Decimal -> {
        ArrowType.Decimal d = (ArrowType.Decimal) type;
        yield new SqlType(Types.DECIMAL, "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")", d.getPrecision(),
            d.getScale(), d.getPrecision() + 2, java.math.BigDecimal.class.getName(), true);
      }
      case Utf8, LargeUtf8, Utf8View -> new SqlType(Types.VARCHAR, "VARCHAR", UNBOUNDED, 0, UNBOUNDED,
          String.class.getName(), false);
      case Binary, LargeBinary, BinaryView -> new SqlType(Types.VARBINARY, "BLOB", UNBOUNDED, 0, UNBOUNDED,
          byte[].class.getName(), false);
      case FixedSizeBinary -> {
        int width = ((ArrowType.FixedSizeBinary) type).getByteWidth();
        yield new SqlType(Types.BINARY, "BLOB", width, 0, width * 2, byte[].class.getName(), false);
      }
      case Date -> new SqlType(Types.DATE, "DATE", 10, 0, 10, java.time.LocalDate.class.getName(), false);
      case Time -> new SqlType(Types.TIME, "TIME", 15, 6, 15, java.time.LocalTime.class.getName(), false);
      case Timestamp -> ((ArrowType.Timestamp) type).getTimezone() == null
          ? new SqlType(Types.TIMESTAMP, "TIMESTAMP", 26, 6, 26, java.time.LocalDateTime.class.getName(), false)
          : new SqlType(Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMP WITH TIME ZONE", 32, 6, 32,
              java.time.OffsetDateTime.class.getName(), false);
      case Interval, Duration -> new SqlType(Types.OTHER, "INTERVAL", 0, 0, 64, TarnInterval.class.getName(),
          false);
      case List, LargeList, FixedSizeList, ListView, LargeListView -> {
        String element = field.getChildren().isEmpty() ? "NULL" : of(field.getChildren().get(0)).name();
        yield new SqlType(Types.ARRAY, element + "[]", 0, 0, UNBOUNDED, java.sql.Array.class.getName(), false);
      }
      case Struct -> new SqlType(Types.STRUCT, "STRUCT(" + field.getChildren().stream()
          .map(child -> quoted(child.getName()) + " " + of(child).name()).collect(Collectors.joining(", ")) + ")",
          0, 0, UNBOUNDED, java.sql.Struct.class.getName(), false);
      case Map -> new SqlType(Types.OTHER, "MAP", 0, 0, UNBOUNDED, java.util.Map.class.getName(), false);
      default -> new SqlType(Types.OTHER, type.toString(), 0, 0, UNBOUNDED, Object.class.getName(), false);
    };
  }

  private static SqlType integer(ArrowType.Int type) {
    boolean signed = type.getIsSigned();
    return switch (type.getBitWidth()) {
      case 8 -> signed ? new SqlType(Types.TINYINT, "TINYINT", 3, 0, 4, Integer.class.getName(), true)
          : new SqlType(Types.SMALLINT, "UTINYINT", 3, 0, 3, Integer.class.getName(), false);
      case 16 -> signed ? new SqlType(Types.SMALLINT, "SMALLINT", 5, 0, 6, Integer.class.getName(), true)
          : new SqlType(Types.INTEGER, "USMALLINT", 5, 0, 5, Integer.class.getName(), false);
      case 32 -> signed ? new SqlType(Types.INTEGER, "INTEGER", 10, 0, 11, Integer.class.getName(), true)
          : new SqlType(Types.BIGINT, "UINTEGER", 10, 0, 10, Long.class.getName(), false);
      default -> signed ? new SqlType(Types.BIGINT, "BIGINT", 19, 0, 20, Long.class.getName(), true)
          : new SqlType(Types.NUMERIC, "UBIGINT", 20, 0, 20, java.math.BigDecimal.class.getName(), false);
    };
  }

  private static String quoted(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
