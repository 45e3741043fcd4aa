package dev.tarn.executor;

import dev.tarn.executor.EngineReading.TableName;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which of DuckDB's built-in views (in its {@code system} catalog: {@code information_schema.*},
 * {@code pg_catalog.*}, {@code main.duckdb_*}) client SQL may read, each with its reason. Most of
 * them list the engine's catalogs, which hold every session's commits, other sessions' open
 * transactions among them, or show the server's settings. An allow-list: a built-in view a DuckDB
 * upgrade adds is refused until someone decides, and {@code EngineReadingTest} fails until it is
 * listed here.
 */
public final class SystemViewVerdicts {
  /** The schemas of the system catalog that hold built-in views. */
  private static final Set<String> SYSTEM_SCHEMAS = Set.of("main", "information_schema", "pg_catalog");
  /** Where DuckDB looks for a name written without a schema (after the session's own catalogs). */
  private static final Set<String> SEARCHED_SCHEMAS = Set.of("main", "pg_catalog");

  /** Views that show nothing of the engine's catalogs or the server: fixed tables of names. */
  private static final Set<String> ALLOWED = Set.of(
      "information_schema.character_sets", "pg_catalog.pg_am", "pg_catalog.pg_collation",
      "pg_catalog.pg_tablespace", "pg_catalog.pg_proc");

  private static final Map<String, String> REFUSED = Stream.of(
      Map.entry(QueryRules.LISTS_CATALOGS, Set.of(
          "information_schema.check_constraints", "information_schema.columns",
          "information_schema.constraint_column_usage", "information_schema.constraint_table_usage",
          "information_schema.key_column_usage", "information_schema.referential_constraints",
          "information_schema.schemata", "information_schema.tables", "information_schema.table_constraints",
          "main.duckdb_columns", "main.duckdb_constraints", "main.duckdb_databases", "main.duckdb_indexes",
          "main.duckdb_schemas", "main.duckdb_tables", "main.duckdb_types", "main.pragma_database_list",
          "pg_catalog.pg_attrdef", "pg_catalog.pg_attribute", "pg_catalog.pg_class", "pg_catalog.pg_constraint",
          "pg_catalog.pg_database", "pg_catalog.pg_depend", "pg_catalog.pg_description", "pg_catalog.pg_enum",
          "pg_catalog.pg_index", "pg_catalog.pg_indexes", "pg_catalog.pg_namespace", "pg_catalog.pg_sequence",
          "pg_catalog.pg_sequences", "pg_catalog.pg_tables", "pg_catalog.pg_type")),
      Map.entry("shows the server's settings, logs, prepared statements or the SQL of views (Tarn's views name"
          + " data files)", Set.of(
          "information_schema.views", "main.duckdb_logs", "main.duckdb_views", "main.sqlite_master",
          "main.sqlite_schema", "main.sqlite_temp_master", "main.sqlite_temp_schema",
          "pg_catalog.pg_prepared_statements", "pg_catalog.pg_settings", "pg_catalog.pg_views")))
      .flatMap(e -> e.getValue().stream().map(view -> Map.entry(view, e.getKey())))
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  /** Every view with a verdict, as {@code schema.view}: true when allowed. */
  public static Map<String, Boolean> all() {
    return Stream.concat(ALLOWED.stream().map(n -> Map.entry(n, true)),
            REFUSED.keySet().stream().map(n -> Map.entry(n, false)))
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private SystemViewVerdicts() {}

  /**
   * Empty unless {@code table}, as written, can name a built-in view client SQL may not read; then
   * why not. A name in another catalog than {@code system} is no built-in view. A name without a
   * schema is matched in the schemas DuckDB searches ({@code main}, {@code pg_catalog}), so a
   * session's temporary table called {@code duckdb_tables} is refused too, which costs nothing.
   */
  public static Optional<String> refusal(TableName table) {
    String catalog = table.catalog().toLowerCase(Locale.ROOT);
    String schema = table.schema().toLowerCase(Locale.ROOT);
    String name = table.table().toLowerCase(Locale.ROOT);
    if (!catalog.isEmpty() && !catalog.equals("system")) {
      return Optional.empty();
    }
    Set<String> schemas = schema.isEmpty() ? SEARCHED_SCHEMAS : SYSTEM_SCHEMAS.contains(schema) ? Set.of(schema)
        : Set.of();
    for (String candidate : schemas) {
      String view = candidate + "." + name;
      if (REFUSED.containsKey(view)) {
        return Optional.of(REFUSED.get(view));
      }
      if (!ALLOWED.contains(view) && looksBuiltIn(candidate, name, !schema.isEmpty())) {
        return Optional.of("is not on Tarn's list of DuckDB's views client SQL may read");
      }
    }
    return Optional.empty();
  }

  /**
   * Whether an unlisted name may be one of DuckDB's views: anything written in {@code
   * information_schema} or {@code pg_catalog}, a bare {@code pg_} name, and the {@code duckdb_},
   * {@code pragma_} and {@code sqlite_} names of {@code main}.
   */
  private static boolean looksBuiltIn(String schema, String name, boolean schemaWritten) {
    return switch (schema) {
      case "main" -> name.startsWith("duckdb_") || name.startsWith("pragma_") || name.startsWith("sqlite_");
      case "pg_catalog" -> schemaWritten || name.startsWith("pg_");
      default -> true;
    };
  }
}
