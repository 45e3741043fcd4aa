package dev.tarn.core.lakehouse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.executor.StatementDescription;
import java.util.function.Supplier;

/**
 * What bound statements return, remembered. A bound statement names every lakehouse table by its
 * commit's catalog, and commits never change, so the same bound text in the same schema always has
 * the same result and parameter schemas: describing it again (DuckDB binding every Parquet file's
 * footer under a {@code LIMIT 0}) was the largest part of Tarn's fixed cost per query
 * (benchmarks/README.md, B2). Only statements that name nothing but lakehouse tables are kept; a
 * session's temporary tables can change under the same text. Bounded (a Caffeine cache: the entries
 * least likely to be asked for again are dropped first); a statement being described is described
 * once, others asking for the same one wait for that answer.
 */
final class DescriptionCache {
  private static final int MAX_ENTRIES = 2048;

  private record Key(String defaultCatalog, String schema, String sql) {}

  private final Cache<Key, StatementDescription> described = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

  StatementDescription describe(ReadBinder.Bound bound, String schema, Supplier<StatementDescription> describe) {
    if (!bound.onlyLakehouse()) {
      return describe.get();
    }
    return described.get(new Key(bound.defaultCatalog(), schema, bound.sql()), key -> describe.get());
  }
}
