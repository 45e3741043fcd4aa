package dev.tarn.executor.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;

/**
 * Whether every row of a data file matches a scan's filter, as checked before: such a file's cached
 * fragment can be handed over without filtering. Keyed by the schema too, because a filter names
 * columns and a rename changes what a name means. Bounded (a Caffeine cache: the entries least
 * likely to be asked for again are dropped first). Thread-safe.
 */
final class FullMatches {
  private static final int MAX_ENTRIES = 100_000;

  /** @param schemaId the table schema the filter's names were resolved in */
  record Key(String location, int schemaId, String filter) {}

  private final Cache<Key, Boolean> known = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

  Optional<Boolean> get(Key key) {
    return Optional.ofNullable(known.getIfPresent(key));
  }

  void put(Key key, boolean allRowsMatch) {
    known.put(key, allRowsMatch);
  }
}
