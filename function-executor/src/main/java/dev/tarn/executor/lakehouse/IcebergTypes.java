package dev.tarn.executor.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.duckdb.DuckDBResultSet;

/**
 * Translates between DuckDB's column types (as {@code DESCRIBE} and {@code typeof()} print them)
 * and Iceberg's types, so that what DuckDB computes can be stored as an Iceberg table and an
 * Iceberg table can be read back with the types DuckDB would have given it.
 *
 * <p>Lossless widenings are accepted on the way in: {@code TINYINT}/{@code SMALLINT} and the
 * small unsigned types become {@code int}, {@code UINTEGER} becomes {@code long}, {@code HUGEINT}
 * and {@code UBIGINT} become {@code decimal(38,0)} and {@code decimal(20,0)} (DuckDB's {@code sum}
 * of a {@code BIGINT} is a {@code HUGEINT}), {@code ENUM} and {@code JSON} become {@code string},
 * second and millisecond timestamps become microsecond ones. Writers cast every column to {@link
 * #toDuckDb(Type)} of its Iceberg type, so the file always holds Iceberg's physical type. Types
 * Iceberg cannot hold (INTERVAL, TIME WITH TIME ZONE, UNION, BIT, nanosecond timestamps, ...)
 * fail with a message naming the column.
 */
public final class IcebergTypes {
  private IcebergTypes() {}

  /** A column as DuckDB describes it. */
  public record Column(String name, String type) {}

  // ---------------------------------------------------------------- DuckDB -> Iceberg

  /**
   * An Iceberg schema for DuckDB columns, every field optional, with ids 1..n assigned exactly as
   * the catalog assigns them when it creates the table ({@link TypeUtil#assignFreshIds}: the
   * top-level columns first, in order, then nested fields), so files written with these ids before
   * the table exists match the stored schema.
   */
  public static Schema toSchema(List<Column> columns) {
    if (columns.isEmpty()) {
      throw new EngineException(Reason.INVALID, "a table needs at least one column");
    }
    AtomicInteger ids = new AtomicInteger(1_000_000);
    List<Types.NestedField> fields = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Column c : columns) {
      if (seen.contains(c.name())) {
        throw new EngineException(Reason.INVALID, "column \"" + c.name() + "\" appears twice");
      }
      seen.add(c.name());
      fields.add(Types.NestedField.optional(ids.incrementAndGet(), c.name(), toIceberg(c.name(), c.type(), ids)));
    }
    AtomicInteger fresh = new AtomicInteger();
    return TypeUtil.assignFreshIds(new Schema(fields), fresh::incrementAndGet);
  }

  /**
   * The columns a query produces, as DuckDB describes them (for CREATE TABLE AS and ingest: pass
   * the result to {@link #toSchema}). The query is bound, not run.
   */
  public static List<Column> describe(Connection connection, String query) {
    String body = query.strip();
    while (body.endsWith(";")) {
      body = body.substring(0, body.length() - 1).strip();
    }
    List<Column> out = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE " + body)) {
      while (rs.next()) {
        out.add(new Column(rs.getString("column_name"), rs.getString("column_type")));
      }
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, DataFileWriter.firstLine(e.getMessage()), e);
    }
    return out;
  }

  /**
   * The columns of a column definition list as DuckDB understands it ({@code id BIGINT, name
   * TEXT, tags INT[]}, with or without the surrounding parentheses): DuckDB creates an empty
   * table with them in a private in-memory catalog and describes it, so aliases and defaults are
   * resolved exactly as DuckDB would.
   */
  public static List<Column> describeColumns(Connection connection, String columnsText) {
    String text = columnsText.strip();
    if (wrappedInParentheses(text)) {
      text = text.substring(1, text.length() - 1);
    }
    String scratch = "tarn_describe_" + java.util.UUID.randomUUID().toString().replace("-", "");
    try (Statement s = connection.createStatement()) {
      s.execute("ATTACH ':memory:' AS " + Sql.ident(scratch));
      try {
        String table = Sql.qualified(scratch, "main", "t");
        // the client's text ends on its own line: a line comment at its end cannot swallow the ")"
        s.execute("CREATE TABLE " + table + " (" + text + "\n)");
        return describe(connection, "SELECT * FROM " + table);
      } finally {
        // on a statement of its own: DuckDB closes one whose statement failed, which would hide that error
        try (Statement detach = connection.createStatement()) {
          detach.execute("DETACH " + Sql.ident(scratch));
        }
      }
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, DataFileWriter.firstLine(e.getMessage()), e);
    }
  }

  /** DuckDB's canonical name of a type as written in SQL ({@code int} gives {@code INTEGER}). */
  public static String describeType(Connection connection, String typeText) {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT typeof(CAST(NULL AS " + typeText + "\n))")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "unknown type " + typeText + ": " + DataFileWriter.firstLine(e.getMessage()), e);
    }
  }

  private static boolean wrappedInParentheses(String text) {
    if (!text.startsWith("(") || !text.endsWith(")")) {
      return false;
    }
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0 && i < text.length() - 1) {
          return false;
        }
      }
    }
    return true;
  }

  /** The Iceberg type for one DuckDB type name; {@code column} names the column in errors. */
  public static Type toIceberg(String column, String duckDbType) {
    return toIceberg(column, duckDbType, new AtomicInteger(1_000_000));
  }

  private static Type toIceberg(String column, String duckDbType, AtomicInteger ids) {
    try {
      return new TypeParser(duckDbType, ids).parseComplete();
    } catch (UnsupportedTypeException e) {
      throw new EngineException(Reason.INVALID,
          "column \"" + column + "\" has type " + duckDbType + ", which Tarn tables cannot store"
              + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
  }

  private static final class UnsupportedTypeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedTypeException(String message) {
      super(message);
    }
  }

  /** A small recursive-descent parser over DuckDB's type syntax. */
  private static final class TypeParser {
    private final String s;
    private final AtomicInteger ids;
    private int pos;

    TypeParser(String s, AtomicInteger ids) {
      this.s = s.strip();
      this.ids = ids;
    }

    Type parseComplete() {
      Type t = parseType();
      skipSpaces();
      if (pos != s.length()) {
        throw new UnsupportedTypeException(null);
      }
      return t;
    }

    private Type parseType() {
      skipSpaces();
      String word = readWord().toUpperCase(Locale.ROOT);
      Type t;
      switch (word) {
        case "STRUCT" -> t = parseStruct();
        case "MAP" -> t = parseMap();
        case "DECIMAL", "NUMERIC" -> t = parseDecimal();
        case "ENUM" -> {
          skipParenthesized();
          t = Types.StringType.get();
        }
        case "UNION" -> throw new UnsupportedTypeException("union types have no Iceberg equivalent");
        case "TIMESTAMP", "TIME" -> t = parseTimeFamily(word);
        case "VARCHAR" -> {
          if (peek() == '(') {
            skipParenthesized();
          }
          t = Types.StringType.get();
        }
        default -> t = primitive(word);
      }
      // list suffixes: INTEGER[] and fixed-size INTEGER[3]
      while (true) {
        skipSpaces();
        if (peek() != '[') {
          return t;
        }
        pos++;
        while (pos < s.length() && s.charAt(pos) != ']') {
          pos++;
        }
        expect(']');
        t = Types.ListType.ofOptional(ids.incrementAndGet(), t);
      }
    }

    private Type parseTimeFamily(String word) {
      int mark = pos;
      skipSpaces();
      String rest = s.substring(pos).toUpperCase(Locale.ROOT);
      if (rest.startsWith("WITH TIME ZONE")) {
        pos += "WITH TIME ZONE".length();
        if (word.equals("TIME")) {
          throw new UnsupportedTypeException("Iceberg has no time with time zone; cast to TIME");
        }
        return Types.TimestampType.withZone();
      }
      pos = mark;
      return word.equals("TIME") ? Types.TimeType.get() : Types.TimestampType.withoutZone();
    }

    private Type primitive(String word) {
      return switch (word) {
        case "BOOLEAN", "BOOL" -> Types.BooleanType.get();
        case "TINYINT", "SMALLINT", "INTEGER", "INT", "UTINYINT", "USMALLINT", "INT1", "INT2", "INT4" ->
            Types.IntegerType.get();
        case "BIGINT", "UINTEGER", "INT8", "LONG" -> Types.LongType.get();
        case "HUGEINT" -> Types.DecimalType.of(38, 0);
        case "UBIGINT" -> Types.DecimalType.of(20, 0);
        case "FLOAT", "REAL", "FLOAT4" -> Types.FloatType.get();
        case "DOUBLE", "FLOAT8" -> Types.DoubleType.get();
        case "STRING", "TEXT", "JSON" -> Types.StringType.get();
        case "BLOB", "BYTEA", "VARBINARY" -> Types.BinaryType.get();
        case "DATE" -> Types.DateType.get();
        case "TIMESTAMPTZ" -> Types.TimestampType.withZone();
        case "TIMESTAMP_S", "TIMESTAMP_MS", "DATETIME" -> Types.TimestampType.withoutZone();
        case "TIMESTAMP_NS" ->
            throw new UnsupportedTypeException("nanosecond timestamps need Iceberg format v3; cast to TIMESTAMP");
        case "UUID" -> Types.UUIDType.get();
        case "UHUGEINT" -> throw new UnsupportedTypeException("128-bit unsigned integers do not fit decimal(38)");
        case "INTERVAL" -> throw new UnsupportedTypeException("Iceberg has no interval type");
        case "BIT", "BITSTRING" -> throw new UnsupportedTypeException("Iceberg has no bit string type");
        case "NULL", "\"NULL\"" -> throw new UnsupportedTypeException("give the column a type, e.g. CAST(NULL AS VARCHAR)");
        default -> throw new UnsupportedTypeException(null);
      };
    }

    private Type parseDecimal() {
      skipSpaces();
      if (peek() != '(') {
        return Types.DecimalType.of(18, 3);
      }
      pos++;
      int p = readInt();
      int sc = 0;
      skipSpaces();
      if (peek() == ',') {
        pos++;
        sc = readInt();
      }
      expect(')');
      if (p > 38) {
        throw new UnsupportedTypeException("decimal precision is at most 38");
      }
      return Types.DecimalType.of(p, sc);
    }

    private Type parseStruct() {
      expect('(');
      List<Types.NestedField> fields = new ArrayList<>();
      while (true) {
        skipSpaces();
        String name = readName();
        Type t = parseType();
        fields.add(Types.NestedField.optional(ids.incrementAndGet(), name, t));
        skipSpaces();
        if (peek() == ',') {
          pos++;
          continue;
        }
        expect(')');
        return Types.StructType.of(fields);
      }
    }

    private Type parseMap() {
      expect('(');
      Type key = parseType();
      expect(',');
      Type value = parseType();
      expect(')');
      return Types.MapType.ofOptional(ids.incrementAndGet(), ids.incrementAndGet(), key, value);
    }

    private String readName() {
      skipSpaces();
      if (peek() == '"') {
        StringBuilder b = new StringBuilder();
        pos++;
        while (pos < s.length()) {
          char c = s.charAt(pos++);
          if (c == '"') {
            if (peek() == '"') {
              b.append('"');
              pos++;
            } else {
              return b.toString();
            }
          } else {
            b.append(c);
          }
        }
        throw new UnsupportedTypeException(null);
      }
      int start = pos;
      while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private String readWord() {
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw new UnsupportedTypeException(null);
      }
      return s.substring(start, pos);
    }

    private int readInt() {
      skipSpaces();
      int start = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw new UnsupportedTypeException(null);
      }
      return Integer.parseInt(s.substring(start, pos));
    }

    private void skipParenthesized() {
      skipSpaces();
      expect('(');
      int depth = 1;
      boolean quoted = false;
      while (pos < s.length() && depth > 0) {
        char c = s.charAt(pos++);
        if (c == '\'') {
          quoted = !quoted;
        } else if (!quoted && c == '(') {
          depth++;
        } else if (!quoted && c == ')') {
          depth--;
        }
      }
    }

    private void expect(char c) {
      skipSpaces();
      if (peek() != c) {
        throw new UnsupportedTypeException(null);
      }
      pos++;
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpaces() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }
  }

  // ---------------------------------------------------------------- Iceberg -> DuckDB

  /**
   * DuckDB's type for a primitive Iceberg type Tarn knows; empty for nested types and for those it
   * does not (another engine's {@code geometry}, say), which a view then reads as DuckDB finds them.
   */
  public static java.util.Optional<String> knownPrimitiveToDuckDb(Type type) {
    return type.isPrimitiveType() ? java.util.Optional.ofNullable(primitiveToDuckDb(type)) : java.util.Optional.empty();
  }

  /** DuckDB's type for an Iceberg type, as it would appear in {@code CREATE TABLE} or {@code CAST}. */
  public static String toDuckDb(Type type) {
    String duckDb = switch (type.typeId()) {
      case LIST -> toDuckDb(((Types.ListType) type).elementType()) + "[]";
      case MAP -> {
        Types.MapType m = (Types.MapType) type;
        yield "MAP(" + toDuckDb(m.keyType()) + ", " + toDuckDb(m.valueType()) + ")";
      }
      case STRUCT -> {
        StringBuilder b = new StringBuilder("STRUCT(");
        List<Types.NestedField> fields = ((Types.StructType) type).fields();
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            b.append(", ");
          }
          b.append(Sql.ident(fields.get(i).name())).append(' ').append(toDuckDb(fields.get(i).type()));
        }
        yield b.append(')').toString();
      }
      default -> primitiveToDuckDb(type);
    };
    if (duckDb == null) {
      throw new EngineException(Reason.INVALID, "Iceberg type " + type + " cannot be read by Tarn yet");
    }
    return duckDb;
  }

  /** DuckDB's type for a primitive Iceberg type, or null when Tarn knows none. */
  private static String primitiveToDuckDb(Type type) {
    return switch (type.typeId()) {
      case BOOLEAN -> "BOOLEAN";
      case INTEGER -> "INTEGER";
      case LONG -> "BIGINT";
      case FLOAT -> "FLOAT";
      case DOUBLE -> "DOUBLE";
      case DECIMAL -> {
        Types.DecimalType d = (Types.DecimalType) type;
        yield "DECIMAL(" + d.precision() + "," + d.scale() + ")";
      }
      case DATE -> "DATE";
      case TIME -> "TIME";
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
      case TIMESTAMP_NANO -> ((Types.TimestampNanoType) type).shouldAdjustToUTC() ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP_NS";
      case STRING -> "VARCHAR";
      case UUID -> "UUID";
      case FIXED, BINARY -> "BLOB";
      default -> null;
    };
  }

  /**
   * Whether every value of {@code from} is a value of {@code to}, so appending it changes nothing:
   * the same type (nested ones compared by shape, not field ids) or one of Iceberg's lossless
   * promotions (int to long, float to double, a decimal to a wider one of the same scale).
   */
  public static boolean holdsExactly(Type from, Type to) {
    if (toDuckDb(from).equals(toDuckDb(to))) {
      return true;
    }
    return from.isPrimitiveType() && to.isPrimitiveType() && TypeUtil.isPromotionAllowed(from, to.asPrimitiveType());
  }

  /**
   * Refuses appending columns of these DuckDB types to a table unless each one's values fit its
   * table column exactly ({@link #holdsExactly}); an assignment cast would otherwise round a double
   * into an integer column or cut a timestamp to a date without a word. Columns the table lacks are
   * left for the insert to reject.
   */
  public static void checkAppendable(List<Column> incoming, Schema table, String tableName) {
    for (Column c : incoming) {
      // INSERT ... BY NAME matches top-level columns case-insensitively, as DuckDB does
      Types.NestedField target = table.columns().stream()
          .filter(f -> f.name().equalsIgnoreCase(c.name())).findFirst().orElse(null);
      if (target == null) {
        continue;
      }
      Type from = toIceberg(c.name(), c.type());
      if (!holdsExactly(from, target.type())) {
        throw new EngineException(Reason.INVALID, "column \"" + c.name() + "\" has type " + c.type()
            + ", which does not fit column " + target.name() + " " + toDuckDb(target.type()) + " of table "
            + tableName + " exactly; cast it to " + toDuckDb(target.type()) + " before sending");
      }
    }
  }

  /** Column definitions for {@code CREATE TABLE t (...)}: {@code "id" BIGINT, "name" VARCHAR}. */
  public static String columnDefinitions(Schema schema) {
    StringBuilder b = new StringBuilder();
    for (Types.NestedField f : schema.columns()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(Sql.ident(f.name())).append(' ').append(toDuckDb(f.type()));
    }
    return b.toString();
  }

  /** The DuckDB columns of an Iceberg schema, in order. */
  public static List<Column> columns(Schema schema) {
    return schema.columns().stream().map(f -> new Column(f.name(), toDuckDb(f.type()))).toList();
  }

  /**
   * The {@code FIELD_IDS} option value of DuckDB's Parquet writer for this schema: nested types
   * carry their own id in {@code __duckdb_field_id} and their children's ids (list {@code element},
   * map {@code key}/{@code value}, struct fields by name).
   */
  public static String fieldIdsOption(Schema schema) {
    StringBuilder b = new StringBuilder("{");
    List<Types.NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      Types.NestedField f = columns.get(i);
      b.append(Sql.ident(f.name())).append(": ");
      fieldIds(b, f.fieldId(), f.type());
    }
    return b.append('}').toString();
  }

  private static void fieldIds(StringBuilder b, int id, Type type) {
    if (type.isPrimitiveType()) {
      b.append(id);
      return;
    }
    b.append("{__duckdb_field_id: ").append(id);
    switch (type.typeId()) {
      case LIST -> {
        Types.ListType l = (Types.ListType) type;
        b.append(", element: ");
        fieldIds(b, l.elementId(), l.elementType());
      }
      case MAP -> {
        Types.MapType m = (Types.MapType) type;
        b.append(", key: ");
        fieldIds(b, m.keyId(), m.keyType());
        b.append(", value: ");
        fieldIds(b, m.valueId(), m.valueType());
      }
      case STRUCT -> {
        for (Types.NestedField f : ((Types.StructType) type).fields()) {
          b.append(", ").append(Sql.ident(f.name())).append(": ");
          fieldIds(b, f.fieldId(), f.type());
        }
      }
      default -> throw new IllegalStateException("unexpected nested type " + type);
    }
    b.append('}');
  }

  /**
   * The {@code schema} parameter of {@code read_parquet} that reads files by Iceberg field id,
   * under the columns' current names, with NULL for columns a file does not have:
   * {@code MAP {1: {name: 'id', type: 'BIGINT', default_value: NULL}, ...}}.
   */
  public static String readSchemaOption(Schema schema) {
    StringBuilder b = new StringBuilder("MAP {");
    List<Types.NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      Types.NestedField f = columns.get(i);
      if (i > 0) {
        b.append(", ");
      }
      b.append(f.fieldId()).append(": {name: ").append(Sql.literal(f.name()))
          .append(", type: ").append(Sql.literal(toDuckDb(f.type())))
          .append(", default_value: NULL}");
    }
    return b.append('}').toString();
  }

  /**
   * The Arrow schema DuckDB exports for a table with this Iceberg schema (what Flight SQL's
   * GetTables reports), asked of DuckDB itself through an empty query on {@code connection}.
   */
  public static org.apache.arrow.vector.types.pojo.Schema arrowSchema(
      Connection connection, Schema schema, BufferAllocator allocator) {
    StringBuilder sql = new StringBuilder("SELECT ");
    List<Types.NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sql.append(", ");
      }
      Types.NestedField f = columns.get(i);
      sql.append("CAST(NULL AS ").append(toDuckDb(f.type())).append(") AS ").append(Sql.ident(f.name()));
    }
    sql.append(" LIMIT 0");
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql.toString());
        BufferAllocator child = allocator.newChildAllocator("tarn-arrow-schema", 0, 16L << 20);
        ArrowReader reader = (ArrowReader) ((DuckDBResultSet) rs).arrowExportStream(child, 1)) {
      return reader.getVectorSchemaRoot().getSchema();
    } catch (SQLException | IOException e) {
      throw new EngineException(Reason.INVALID, "cannot derive the Arrow schema of " + schema.asStruct() + ": " + e.getMessage(), e);
    }
  }
}
