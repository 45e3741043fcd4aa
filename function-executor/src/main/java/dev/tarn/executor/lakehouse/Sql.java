package dev.tarn.executor.lakehouse;

import java.util.Collection;
import java.util.stream.Collectors;

/** Quoting for the SQL Tarn generates itself; every name and string goes through here. */
public final class Sql {
  private Sql() {}

  /** A double-quoted identifier: {@code "my ""odd"" name"}. */
  public static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A single-quoted string literal. */
  public static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A list literal of strings: {@code ['a', 'b']}. */
  public static String stringList(Collection<String> values) {
    return values.stream().map(Sql::literal).collect(Collectors.joining(", ", "[", "]"));
  }

  /** {@code "catalog"."schema"."name"}. */
  public static String qualified(String catalog, String schema, String name) {
    return ident(catalog) + "." + ident(schema) + "." + ident(name);
  }
}
