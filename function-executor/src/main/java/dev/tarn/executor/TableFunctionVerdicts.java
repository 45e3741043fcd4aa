package dev.tarn.executor;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which of DuckDB's table functions client SQL may call, each with its reason. An allow-list: a
 * table function not named here (one a DuckDB upgrade adds) is refused until someone decides, and
 * {@code TableFunctionVerdictsTest} fails until it is listed.
 *
 * <p>{@code read_parquet} is refused to clients too; the views Tarn binds use it over the files of
 * the commit a statement reads, and the server allows exactly those calls.
 */
public final class TableFunctionVerdicts {

  /** Why a table function is refused: each category is one sentence of the error. */
  public enum Refusal {
    READS_FILES("reads files: client SQL reads lakehouse tables, never files"),
    RUNS_SQL_TEXT("runs SQL text of its own, which Tarn cannot check"),
    CHANGES_ENGINE("changes the engine's state, which only the Tarn server may do"),
    REVEALS_SERVER("reveals the server's settings, files, memory or other sessions' work"),
    LISTS_CATALOGS(QueryRules.LISTS_CATALOGS),
    READS_NAMED_TABLE("reads a table named in a string, around the checks of table names");

    private final String reason;

    Refusal(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * Table functions that only compute, or describe what DuckDB itself has (keywords, the built-in
   * functions: the engine's catalogs hold no functions of their own).
   */
  private static final Set<String> ALLOWED = Set.of(
      "range", "generate_series", "unnest", "repeat", "repeat_row", "json_each", "json_tree", "summary",
      "test_all_types", "test_vector_types", "icu_calendar_names", "pg_timezone_names",
      "pragma_version", "pragma_platform", "pragma_user_agent", "pragma_collations",
      "duckdb_keywords", "duckdb_functions", "duckdb_dialects", "duckdb_coordinate_systems",
      "duckdb_optimizers", "duckdb_available_metrics");

  private static final Map<String, Refusal> REFUSED = Stream.of(
      Map.entry(Refusal.READS_FILES, Set.of(
          "read_parquet", "parquet_scan", "read_single_parquet_file", "parquet_metadata", "parquet_schema",
          "parquet_file_metadata", "parquet_kv_metadata", "parquet_full_metadata", "parquet_bloom_probe",
          "read_csv", "read_csv_auto", "read_single_csv_file", "sniff_csv", "read_json", "read_json_auto",
          "read_json_objects", "read_json_objects_auto", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects",
          "read_single_json_file", "read_text", "read_blob", "read_duckdb", "glob", "arrow_scan",
          "arrow_scan_dumb")),
      Map.entry(Refusal.RUNS_SQL_TEXT, Set.of("query", "query_table", "json_execute_serialized_sql")),
      Map.entry(Refusal.CHANGES_ENGINE, Set.of(
          "checkpoint", "force_checkpoint", "enable_logging", "disable_logging", "enable_profiling",
          "disable_profiling", "truncate_duckdb_logs", "create_external_resource", "register_external_resource",
          "register_external_resource_type", "deregister_external_resource", "destroy_external_resource")),
      Map.entry(Refusal.REVEALS_SERVER, Set.of(
          "duckdb_settings", "duckdb_secrets", "which_secret", "duckdb_secret_types", "duckdb_secret_type_parameters",
          "duckdb_logs", "duckdb_logs_parsed", "duckdb_log_contexts", "duckdb_memory", "duckdb_temporary_files",
          "duckdb_external_file_cache", "duckdb_prepared_statements", "duckdb_variables", "duckdb_views",
          "duckdb_extensions", "duckdb_extension_repositories", "duckdb_connection_count", "duckdb_eviction_queues",
          "duckdb_external_resources", "duckdb_external_resource_types", "duckdb_grammar_extensions",
          "duckdb_triggers", "duckdb_profiling_settings", "pragma_database_size", "pragma_metadata_info")),
      // The engine's catalogs are the commits every session reads, other sessions' open transactions
      // among them: their names and contents are no client's to list. Clients list tables through
      // Tarn (SHOW TABLES in the statement's own catalog, DESCRIBE, Flight SQL metadata calls).
      Map.entry(Refusal.LISTS_CATALOGS, Set.of(
          "duckdb_databases", "duckdb_schemas", "duckdb_tables", "duckdb_columns", "duckdb_constraints",
          "duckdb_indexes", "duckdb_sequences", "duckdb_dependencies", "duckdb_types",
          "duckdb_approx_database_count")),
      Map.entry(Refusal.READS_NAMED_TABLE, Set.of(
          "duckdb_table_sample", "pragma_table_info", "pragma_show", "pragma_storage_info", "seq_scan",
          "histogram", "histogram_values")))
      .flatMap(e -> e.getValue().stream().map(name -> Map.entry(name, e.getKey())))
      .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));

  private TableFunctionVerdicts() {}

  /** Empty when client SQL may call the function; otherwise why not. Unknown functions are refused. */
  public static Optional<String> refusal(String functionName) {
    String name = functionName.toLowerCase(Locale.ROOT);
    if (ALLOWED.contains(name)) {
      return Optional.empty();
    }
    Refusal refusal = REFUSED.get(name);
    return Optional.of(refusal != null ? refusal.reason()
        : "is not on Tarn's list of table functions client SQL may call");
  }

  /** Every table function with a verdict: true when allowed. */
  public static Map<String, Boolean> all() {
    return Stream.concat(ALLOWED.stream().map(n -> Map.entry(n, true)),
            REFUSED.keySet().stream().map(n -> Map.entry(n, false)))
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
