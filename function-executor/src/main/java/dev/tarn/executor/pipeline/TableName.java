package dev.tarn.executor.pipeline;

import java.util.Objects;
import java.util.regex.Pattern;

/** A lakehouse table, {@code schema.name}. Both parts are SQL identifiers. */
public record TableName(String schema, String name) {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  public TableName {
    if (!isIdentifier(schema) || !isIdentifier(name)) {
      throw new IllegalArgumentException("invalid table name '" + schema + "." + name + "'");
    }
  }

  /** Whether {@code text} is a plain (unquoted) SQL identifier. */
  public static boolean isIdentifier(String text) {
    return text != null && IDENTIFIER.matcher(text).matches();
  }

  /**
   * {@code name} or {@code schema.name}; an unqualified name resolves in {@code defaultSchema}.
   *
   * @return null when {@code text} is not a valid table name
   */
  public static TableName parseOrNull(String text, String defaultSchema) {
    Objects.requireNonNull(defaultSchema);
    if (text == null) {
      return null;
    }
    String[] parts = text.strip().split("\\.", -1);
    if (parts.length == 1 && isIdentifier(parts[0]) && isIdentifier(defaultSchema)) {
      return new TableName(defaultSchema, parts[0]);
    }
    if (parts.length == 2 && isIdentifier(parts[0]) && isIdentifier(parts[1])) {
      return new TableName(parts[0], parts[1]);
    }
    return null;
  }

  @Override
  public String toString() {
    return schema + "." + name;
  }
}
