package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineReading.Show;
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

  /** Why listings of the engine's catalogs are refused, and what to use instead. */
  static final String LISTS_CATALOGS = "lists the engine's catalogs, which hold every session's commits (other"
      + " sessions' open transactions among them); list tables with SHOW TABLES, DESCRIBE, SHOW REFERENCES or"
      + " your client's metadata calls";

  /** The one {@code SHOW} of DuckDB's own that lists nothing but the statement's catalog: {@code SHOW TABLES}. */
  private static final String SHOW_TABLES = "tables";

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
    for (Show show : reading.shows()) {
      checkShow(show, boundCatalogs);
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
    checkNotInternal(table.catalog(), table.schema(), boundCatalogs);
    String name = table.table();
    SystemViewVerdicts.refusal(table).ifPresent(reason -> {
      throw new EngineException(Reason.PERMISSION, "the engine's view " + table.qualifiedName() + " is not"
          + " allowed: it " + reason);
    });
    // A name that finds no table is read as a file by DuckDB's replacement scans; a view Tarn bound
    // (in a bound catalog) always finds its table, whatever characters its name holds.
    boolean tarnsView = boundCatalogs.contains(table.catalog().toLowerCase(Locale.ROOT));
    if (!tarnsView && (name.contains("/") || name.contains("\\") || name.contains(".") || name.contains(":"))) {
      throw new EngineException(Reason.PERMISSION, "the table name \"" + name + "\" reads a file: client SQL"
          + " reads lakehouse tables, never files (table names cannot contain '.', '/', '\\' or ':')");
    }
  }

  /** Refuses a catalog or schema part naming one of the engine's internal catalogs the caller did not bind. */
  private static void checkNotInternal(String catalog, String schema, Set<String> boundCatalogs) {
    for (String part : List.of(catalog, schema)) {
      String lower = part.toLowerCase(Locale.ROOT);
      if (INTERNAL_PREFIXES.stream().anyMatch(lower::startsWith) && !boundCatalogs.contains(lower)) {
        throw new EngineException(Reason.PERMISSION, "the catalog " + part + " is internal to the Tarn server"
            + " and cannot be named; name tables as branch.schema.table, schema.table or table");
      }
    }
  }

  /**
   * {@code SHOW TABLES FROM x}, {@code SHOW x.y.t} and {@code DESCRIBE} name catalogs like table names
   * do; of DuckDB's special SHOWs only {@code SHOW TABLES} (the statement's own catalog) may run:
   * {@code SHOW DATABASES}, {@code SHOW SCHEMAS} and {@code SHOW ALL TABLES} list every catalog.
   */
  private static void checkShow(Show show, Set<String> boundCatalogs) {
    checkNotInternal(show.catalog(), show.schema(), boundCatalogs);
    String name = show.name().replace("\"", "").toLowerCase(Locale.ROOT);
    if (show.kind().equals("SHOW_SPECIAL") && !name.equals(SHOW_TABLES)) {
      String written = name.equals("__show_tables_expanded") ? "SHOW ALL TABLES"
          : "SHOW " + name.toUpperCase(Locale.ROOT);
      throw new EngineException(Reason.PERMISSION, written + " is not allowed: it " + LISTS_CATALOGS);
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
