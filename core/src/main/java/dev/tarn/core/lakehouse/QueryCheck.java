package dev.tarn.core.lakehouse;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.executor.EngineSession;
import dev.tarn.executor.QueryRules;
import dev.tarn.executor.lakehouse.LakehouseViews;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one authority over client text that reaches DuckDB: DuckDB's own parser reads the exact text
 * DuckDB would run, and it runs only when that reading is one query that names nothing but what Tarn
 * bound ({@link QueryRules}). Everything else a client may do (lakehouse writes, temporary objects,
 * Tarn's commands) Tarn does itself, sending DuckDB only texts it composed around client fragments
 * that passed this check ({@link WriteComposer}).
 */
final class QueryCheck {
  private QueryCheck() {}

  /**
   * Reads {@code sql} with DuckDB's parser and throws unless it may run.
   *
   * @param commits the commits Tarn bound the statement to: their view catalogs may be named
   * @param scanFiles the data files Tarn's pruned scans read: {@code read_parquet} of exactly these is Tarn's own
   */
  static void check(EngineSession engine, String sql, List<ResolvedReference> commits, Set<String> scanFiles) {
    Set<String> boundCatalogs = commits.stream()
        .map(c -> LakehouseViews.catalogName(c.hash()).toLowerCase(Locale.ROOT))
        .collect(Collectors.toCollection(java.util.HashSet::new));
    // The session's own temporary objects, as Tarn named them (TemporaryTables); never another session's.
    engine.existingTemporaryCatalog().ifPresent(c -> boundCatalogs.add(c.toLowerCase(Locale.ROOT)));
    QueryRules.check(engine.read(sql), boundCatalogs, scanFiles);
  }
}
