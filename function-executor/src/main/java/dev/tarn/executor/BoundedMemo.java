package dev.tarn.executor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers remembered for keys whose answer never changes (a commit's tables, a bound statement's
 * description, a file's discovered models), at most {@code capacity} of them, the least recently
 * used forgotten first. Thread-safe. Loading happens outside the lock: two threads may load the
 * same key at once, which is harmless (the answer is the same) and keeps slow loads from
 * serializing unrelated callers.
 */
public final class BoundedMemo<K, V> {
  private final Map<K, V> entries;

  public BoundedMemo(int capacity) {
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The remembered answer, else {@code load}'s, remembered (a null answer is not). */
  public V get(K key, Supplier<V> load) {
    Optional<V> known = find(key);
    if (known.isPresent()) {
      return known.get();
    }
    V loaded = load.get();
    if (loaded != null) {
      put(key, loaded);
    }
    return loaded;
  }

  public synchronized Optional<V> find(K key) {
    return Optional.ofNullable(entries.get(key));
  }

  public synchronized void put(K key, V value) {
    entries.put(key, value);
  }
}
