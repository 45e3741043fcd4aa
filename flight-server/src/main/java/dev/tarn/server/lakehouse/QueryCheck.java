package dev.tarn.server.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.EngineReading;
import dev.tarn.executor.EngineReading.TableFunctionCall;
import dev.tarn.executor.EngineReading.TableName;
import dev.tarn.executor.EngineSession;
import dev.tarn.executor.TableFunctionVerdicts;
import dev.tarn.executor.lakehouse.LakehouseViews;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one authority over client text that reaches DuckDB: DuckDB's own parser reads the exact text
 * DuckDB would run, and it runs only when that reading is one query that names nothing but what Tarn
 * bound. Everything else a client may do (lakehouse writes, temporary objects, Tarn's commands) Tarn
 * does itself, sending DuckDB only texts it composed around client fragments that passed this check.
 *
 * <p>A query may not name Tarn's internal catalogs (per-commit views, scratch tables) except the
 * commits the statement was bound to, may not call a table function Tarn does not allow (files,
 * SQL text, engine state; see {@link TableFunctionVerdicts}), may not read a file by naming it as a
 * table, and may not use DuckDB's own {@code AT (...)} clause.
 */
final class QueryCheck {
  /** Name prefixes of the engine's internal catalogs: commit views, scratch tables, Tarn's helpers. */
  private static final List<String> INTERNAL_PREFIXES = List.of(LakehouseViews.CATALOG_PREFIX, "scratch_", "tarn_");

  private QueryCheck() {}

  /**
   * Reads {@code sql} with DuckDB's parser and throws unless it may run.
   *
   * @param commits the commits Tarn bound the statement to: their view catalogs may be named
   * @param scanFiles the data files Tarn's pruned scans read: {@code read_parquet} of exactly these is Tarn's own
   */
  static void check(EngineSession engine, String sql, List<dev.tarn.catalog.ResolvedReference> commits,
      Set<String> scanFiles) {
    EngineReading reading = engine.read(sql);
    if (!reading.isOneQuery()) {
      throw notOneQuery(reading);
    }
    Set<String> boundCatalogs = commits.stream()
        .map(c -> LakehouseViews.catalogName(c.hash()).toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toSet());
    for (TableName table : reading.tables()) {
      checkTable(table, boundCatalogs);
    }
    for (TableFunctionCall call : reading.tableFunctions()) {
      checkTableFunction(call, scanFiles);
    }
  }

  private static EngineException notOneQuery(EngineReading reading) {
    String refusal = reading.refusal().orElse("");
    if (refusal.equals(EngineReading.NOT_ONLY_QUERIES)) {
      return new EngineException(Reason.PERMISSION, "this statement is not allowed: DuckDB reads it as something"
          + " other than one query. Tarn runs queries (SELECT, VALUES, WITH, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN),"
          + " its own commands, lakehouse DDL and DML, and temporary tables and views; send one statement per call");
    }
    if (reading.refusal().isEmpty()) {
      return new EngineException(Reason.INVALID, "send one statement per call: DuckDB reads "
          + reading.statements() + " statements in this text (split scripts on ';', as tarn sql -f does)");
    }
    return new EngineException(Reason.SYNTAX, refusal.isBlank() ? "the statement could not be parsed" : refusal);
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
    if (name.contains("/") || name.contains("\\") || name.contains(".") || name.contains(":")) {
      throw new EngineException(Reason.PERMISSION, "the table name \"" + name + "\" reads a file: client SQL"
          + " reads lakehouse tables, never files (table names cannot contain '.', '/', '\\' or ':')");
    }
  }

  private static void checkTableFunction(TableFunctionCall call, Set<String> scanFiles) {
    if (call.name().equalsIgnoreCase("read_parquet") && !call.stringArguments().isEmpty()
        && scanFiles.containsAll(call.stringArguments())) {
      return; // a scan Tarn bound: the data files of a commit this statement reads
    }
    TableFunctionVerdicts.refusal(call.name()).ifPresent(reason -> {
      throw new EngineException(Reason.PERMISSION, "the table function " + call.name() + " is not allowed: it "
          + reason);
    });
  }
}
