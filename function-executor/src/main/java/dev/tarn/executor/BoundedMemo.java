package dev.tarn.executor;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers remembered for keys whose answer never changes (a commit's tables, a bound statement's
 * description, a file's discovered models), at most {@code capacity} of them, evicted by Caffeine's
 * size policy. Thread-safe. Loading happens outside the cache: two threads may load the same key at
 * once, which is harmless (the answer is the same) and keeps slow loads from blocking unrelated
 * callers, as a computing {@code get} could.
 */
public final class BoundedMemo<K, V> {
  private final Cache<K, V> entries;

  public BoundedMemo(int capacity) {
    this.entries = Caffeine.newBuilder().maximumSize(capacity).build();
  }

  /** The remembered answer, else {@code load}'s, remembered (a null answer is not). */
  public V get(K key, Supplier<V> load) {
    V known = entries.getIfPresent(key);
    if (known != null) {
      return known;
    }
    V loaded = load.get();
    if (loaded != null) {
      entries.put(key, loaded);
    }
    return loaded;
  }

  public Optional<V> find(K key) {
    return Optional.ofNullable(entries.getIfPresent(key));
  }

  public void put(K key, V value) {
    entries.put(key, value);
  }
}
