package dev.tarn.executor.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether every row of a data file matches a scan's filter, as checked before: such a file's cached
 * fragment can be handed over without filtering. Keyed by the schema too, because a filter names
 * columns and a rename changes what a name means. Bounded, least recently used first out. Thread-safe.
 */
final class FullMatches {
  private static final int MAX_ENTRIES = 100_000;

  /** @param schemaId the table schema the filter's names were resolved in */
  record Key(String location, int schemaId, String filter) {}

  private final Map<Key, Boolean> known = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  synchronized Optional<Boolean> get(Key key) {
    return Optional.ofNullable(known.get(key));
  }

  synchronized void put(Key key, boolean allRowsMatch) {
    known.put(key, allRowsMatch);
  }
}
