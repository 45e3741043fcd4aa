package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineReading.TableFunctionCall;
import dev.tarn.executor.EngineReading.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a text from outside the server (client SQL, a project's SQL models and filters) must be
 * before DuckDB runs it, judged on DuckDB's own reading ({@link EngineReading}): exactly one query,
 * naming none of the engine's internal catalogs except those the caller bound, calling only the
 * table functions {@link TableFunctionVerdicts} allows, reading no file by naming it as a table, and
 * without DuckDB's own {@code AT (...)} clause. A second scanner of DuckDB's dialect could disagree
 * with DuckDB about where a comment ends or a statement stops; this judgment cannot.
 */
public final class QueryRules {
  /** Name prefixes of the engine's internal catalogs: commit views, scratch tables, Tarn's helpers and runs. */
  private static final List<String> INTERNAL_PREFIXES = List.of("lake_", "scratch_", "tarn_");

  /**
   * DuckDB's built-in views that show the server's settings, logs, prepared statements or the SQL of
   * views (Tarn's views name data files, other sessions' uncommitted ones included), refused like the
   * table functions behind them.
   */
  private static final Set<String> REVEALING_VIEWS = Set.of("duckdb_logs", "duckdb_views", "pg_settings",
      "pg_prepared_statements", "pg_views", "views", "sqlite_master", "sqlite_schema", "sqlite_temp_master",
      "sqlite_temp_schema");

  /** Scalar functions that reveal the server's settings (its folders among them). */
  private static final Set<String> REVEALING_FUNCTIONS = Set.of("current_setting");

  private QueryRules() {}

  /** Reads {@code sql} on {@code connection} (parsing it, never running it) and judges it with no catalog bound. */
  public static void check(Connection connection, String sql) throws SQLException {
    check(EngineReader.read(connection, sql), Set.of(), Set.of());
  }

  /**
   * Throws unless the reading is one query that may run.
   *
   * @param boundCatalogs internal catalogs the caller bound the text to (lower case): they may be named
   * @param scanFiles data files the caller's own scans read: {@code read_parquet} of exactly these is the caller's
   */
  public static void check(EngineReading reading, Set<String> boundCatalogs, Set<String> scanFiles) {
    if (!reading.isOneQuery()) {
      throw notOneQuery(reading);
    }
    for (TableName table : reading.tables()) {
      checkTable(table, boundCatalogs);
    }
    for (TableFunctionCall call : reading.tableFunctions()) {
      checkTableFunction(call, scanFiles);
    }
    for (String function : reading.functions()) {
      if (REVEALING_FUNCTIONS.contains(function)) {
        throw new EngineException(Reason.PERMISSION, "the function " + function + " is not allowed: it reveals the"
            + " server's settings");
      }
    }
  }

  private static EngineException notOneQuery(EngineReading reading) {
    if (reading.syntaxError().isPresent()) {
      return new EngineException(Reason.SYNTAX, reading.syntaxError().get());
    }
    if (reading.refusal().isPresent()) {
      return new EngineException(Reason.PERMISSION, "this statement is not allowed: DuckDB reads it as something"
          + " other than one query. Tarn runs queries (SELECT, VALUES, WITH, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN),"
          + " its own commands, lakehouse DDL and DML, and temporary tables and views; send one statement per call");
    }
    return new EngineException(Reason.INVALID, "send one statement per call: DuckDB reads "
        + reading.statements() + " statements in this text (split scripts on ';', as tarn sql -f does)");
  }

  private static void checkTable(TableName table, Set<String> boundCatalogs) {
    if (table.hasAtClause()) {
      throw new EngineException(Reason.PERMISSION, "DuckDB's AT (...) clause is not allowed on " + table.qualifiedName()
          + ": read other points in history with Tarn's AT BRANCH | TAG | COMMIT | TIMESTAMP clauses");
    }
    for (String part : List.of(table.catalog(), table.schema())) {
      String lower = part.toLowerCase(Locale.ROOT);
      if (INTERNAL_PREFIXES.stream().anyMatch(lower::startsWith) && !boundCatalogs.contains(lower)) {
        throw new EngineException(Reason.PERMISSION, "the catalog " + part + " is internal to the Tarn server"
            + " and cannot be named; name tables as branch.schema.table, schema.table or table");
      }
    }
    String name = table.table();
    if (REVEALING_VIEWS.contains(name.toLowerCase(Locale.ROOT))
        && !boundCatalogs.contains(table.catalog().toLowerCase(Locale.ROOT))) {
      throw new EngineException(Reason.PERMISSION, "the engine's view " + table.qualifiedName() + " is not"
          + " allowed: it reveals the server's settings, files or other sessions' work");
    }
    // A name that finds no table is read as a file by DuckDB's replacement scans; a view Tarn bound
    // (in a bound catalog) always finds its table, whatever characters its name holds.
    boolean tarnsView = boundCatalogs.contains(table.catalog().toLowerCase(Locale.ROOT));
    if (!tarnsView && (name.contains("/") || name.contains("\\") || name.contains(".") || name.contains(":"))) {
      throw new EngineException(Reason.PERMISSION, "the table name \"" + name + "\" reads a file: client SQL"
          + " reads lakehouse tables, never files (table names cannot contain '.', '/', '\\' or ':')");
    }
  }

  /** {@code read_csv('/etc/passwd')}: the call as written, its first argument shortened. */
  private static String described(TableFunctionCall call) {
    if (call.stringArguments().isEmpty()) {
      return call.name();
    }
    String first = call.stringArguments().get(0);
    return call.name() + "('" + (first.length() > 60 ? first.substring(0, 57) + "..." : first)
        + (call.stringArguments().size() > 1 ? "', ...)" : "')");
  }

  private static void checkTableFunction(TableFunctionCall call, Set<String> scanFiles) {
    if (call.name().equalsIgnoreCase("read_parquet") && !call.stringArguments().isEmpty()
        && scanFiles.containsAll(call.stringArguments())) {
      return; // a scan the caller bound: the data files of a commit the statement reads
    }
    TableFunctionVerdicts.refusal(call.name()).ifPresent(reason -> {
      throw new EngineException(Reason.PERMISSION, "the table function " + described(call) + " is not allowed: it "
          + reason);
    });
  }
}
