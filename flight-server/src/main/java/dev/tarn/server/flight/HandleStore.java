package dev.tarn.server.flight;

import dev.tarn.core.TarnException;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.ByteString;
import dev.tarn.core.TarnException.Kind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import dev.tarn.core.session.Session;

/**
 * Server-side objects that clients refer to by opaque handle (prepared statements, pending
 * results): bounded, expiring after idle time, with a hook to release what an evicted entry holds.
 */
final class HandleStore<T> {
  private final SecureRandom random = new SecureRandom();
  private final Cache<ByteString, T> entries;
  private final String what;
  private final Function<T, Session> owner;
  private final Consumer<T> onEvict;

  /**
   * @param owner the session an entry refers to: it counts the entry as an open handle while the
   *     entry is here, so the session is not recycled under it
   */
  HandleStore(String what, int maxEntries, Duration idle, Consumer<T> onEvict, Function<T, Session> owner) {
    this.what = what;
    this.owner = owner;
    this.onEvict = onEvict;
    this.entries = CacheBuilder.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterAccess(idle)
        .<ByteString, T>removalListener(removal -> {
          if (removal.getValue() == null) {
            return;
          }
          owner.apply(removal.getValue()).handleClosed();
          // Only entries pushed out by size or age; a handle removed on purpose has been dealt with.
          if (removal.wasEvicted()) {
            onEvict.accept(removal.getValue());
          }
        })
        .build();
  }

  ByteString put(T value) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    ByteString handle = ByteString.copyFrom(id);
    owner.apply(value).handleOpened();
    entries.put(handle, value);
    return handle;
  }

  T get(ByteString handle) {
    T value = entries.getIfPresent(handle);
    if (value == null) {
      throw new TarnException(Kind.NOT_FOUND,
          "unknown or expired " + what + " handle; prepare or run the statement again");
    }
    return value;
  }

  Optional<T> find(ByteString handle) {
    return Optional.ofNullable(entries.getIfPresent(handle));
  }

  void remove(ByteString handle) {
    entries.invalidate(handle);
  }

  /** Releases every entry, as eviction would: the server is closing and no client will take them. */
  void clear() {
    releaseWhere(value -> true);
  }

  /** Releases the entries of a session that has closed: no call of its client will take them. */
  void releaseOwnedBy(Session session) {
    releaseWhere(value -> owner.apply(value) == session);
  }

  private void releaseWhere(java.util.function.Predicate<T> released) {
    for (var entry : java.util.List.copyOf(entries.asMap().entrySet())) {
      if (released.test(entry.getValue()) && entries.asMap().remove(entry.getKey(), entry.getValue())) {
        onEvict.accept(entry.getValue());
      }
    }
  }
}
