package dev.tarn.executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;

/**
 * DuckDB's readings of texts, remembered. A reading is its parser's view of the text alone (no
 * catalog, no settings; clients cannot change the parser's), so the same text always reads the
 * same: preparing {@code json_serialize_sql} for it again was the largest part of the engine's
 * work for a short statement sent repeatedly. Bounded by the texts' total length; the entries least
 * likely to be asked for again go first.
 */
final class EngineReadings {
  /** Characters of statement text kept, all entries together. */
  private static final long MAX_CHARS = 16L << 20;

  private final Cache<String, EngineReading> readings = Caffeine.newBuilder()
      .maximumWeight(MAX_CHARS)
      .weigher((String sql, EngineReading reading) -> sql.length() + 64 * (1 + reading.tables().size()))
      .build();

  EngineReading read(String sql, Function<String, EngineReading> reader) {
    return readings.get(sql, reader);
  }
}
