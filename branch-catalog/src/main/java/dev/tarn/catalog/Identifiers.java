package dev.tarn.catalog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The one set of rules for the names of schemas, tables and columns that Tarn stores. Names are
 * data, never paths: Tarn derives every storage location itself ({@link
 * BranchCatalog#newTableLocation}), and a schema or table name becomes one folder name in it, a
 * column name part of a partition folder name. So a name must be usable as exactly one file name
 * on any file system and object store, and must not be able to climb out of its folder:
 *
 * <ul>
 *   <li>not empty, and at most {@value #MAX_BYTES} bytes in UTF-8 (a folder name of the table's
 *       location adds a 33-character suffix and must stay under the common 255-byte limit);
 *   <li>no path separator ({@code /} or {@code \});
 *   <li>not {@code .}, and no {@code ..} anywhere;
 *   <li>no control characters (U+0000 to U+001F, U+007F to U+009F), no line or paragraph
 *       separators (U+2028, U+2029) and no unpaired surrogate halves.
 * </ul>
 *
 * <p>A schema may not be called {@value #TEMPORARY_QUALIFIER} (in any case): {@code temp.x} names a
 * session's temporary table. Everything else is allowed, so ordinary names in any script ({@code café}, {@code 日本},
 * {@code "sales 2024"}) work. Branch and tag names follow Nessie's own rule instead (they name
 * catalog references, never folders).
 */
public final class Identifiers {
  /**
   * What SQL writes before the name of a session's temporary table ({@code temp.x}, {@code
   * temp.main.x}, as in DuckDB), so no schema, branch or tag may be called so (in any case).
   */
  public static final String TEMPORARY_QUALIFIER = "temp";

  /** The longest name, in UTF-8 bytes. */
  public static final int MAX_BYTES = 200;

  /** What a name names, as users read it in messages. */
  public enum Kind {
    SCHEMA("schema"),
    TABLE("table"),
    COLUMN("column");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  private Identifiers() {}

  /** Throws {@link InvalidIdentifierException} unless {@code name} is a valid {@code kind} name. */
  public static String require(Kind kind, String name) {
    String broken = brokenRule(name);
    if (broken == null && kind == Kind.SCHEMA && name.equalsIgnoreCase(TEMPORARY_QUALIFIER)) {
      broken = TEMPORARY_QUALIFIER + " is reserved for the session's temporary tables (temp.x, temp.main.x)";
    }
    if (broken != null) {
      throw new InvalidIdentifierException(kind.word() + " name " + quoted(name) + " is not allowed: " + broken);
    }
    return name;
  }

  /** Both parts of a table's name. */
  public static TableId require(TableId table) {
    require(Kind.SCHEMA, table.namespace());
    require(Kind.TABLE, table.name());
    return table;
  }

  /** Every column of {@code schema}, nested fields included, for a table named {@code table}. */
  public static Schema requireColumns(TableId table, Schema schema) {
    requireFields(table, schema.columns());
    return schema;
  }

  private static void requireFields(TableId table, List<Types.NestedField> fields) {
    for (Types.NestedField field : fields) {
      String broken = brokenRule(field.name());
      if (broken != null) {
        throw new InvalidIdentifierException("column name " + quoted(field.name()) + " of table " + table
            + " is not allowed: " + broken);
      }
      Type type = field.type();
      if (type.isNestedType()) {
        requireFields(table, type.asNestedType().fields());
      }
    }
  }

  /** The rule {@code name} breaks, or null when it is valid. */
  static String brokenRule(String name) {
    if (name == null || name.isEmpty()) {
      return "a name must not be empty";
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return "a name may have at most " + MAX_BYTES + " bytes in UTF-8, this one has " + bytes;
    }
    if (name.equals(".") || name.contains("..")) {
      return "a name must not be '.' or contain '..'";
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return "a name must not contain a path separator (/ or \\)";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        return "a name must not contain control characters (found U+" + hex(c) + " at position " + (i + 1) + ")";
      }
      if (c == '\u2028' || c == '\u2029') {
        return "a name must not contain line or paragraph separators (found U+" + hex(c) + ")";
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
            && Character.isLowSurrogate(name.charAt(i + 1));
        if (!paired) {
          return "a name must be valid Unicode (found an unpaired surrogate U+" + hex(c) + ")";
        }
        i++;
      }
    }
    return null;
  }

  /** The name in double quotes, control characters and separators escaped, cut when long. */
  static String quoted(String name) {
    if (name == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder("\"");
    int[] codePoints = name.codePoints().limit(81).toArray();
    for (int i = 0; i < Math.min(codePoints.length, 80); i++) {
      int c = codePoints[i];
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029
          || Character.getType(c) == Character.SURROGATE) {
        out.append("\\u").append(hex((char) c));
      } else {
        out.appendCodePoint(c);
      }
    }
    if (codePoints.length > 80) {
      out.append("...");
    }
    return out.append('"').toString();
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }
}
