package dev.tarn.server.session;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalListener;
import dev.tarn.executor.DuckDbEngine;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * All live sessions, by id. Sessions idle longer than the timeout, or pushed out when the store is
 * full, are closed, releasing their engine connections.
 */
public final class SessionStore implements AutoCloseable {
  private static final int MAX_SESSIONS = 4096;
  private final SecureRandom random = new SecureRandom();
  private final DuckDbEngine engine;
  private final Cache<String, Session> sessions;

  public SessionStore(DuckDbEngine engine, Duration idleTimeout, Consumer<Session> onClose) {
    this.engine = engine;
    RemovalListener<String, Session> closer = removal -> {
      Session session = removal.getValue();
      if (session != null) {
        session.close();
        onClose.accept(session);
      }
    };
    this.sessions = CacheBuilder.newBuilder()
        .expireAfterAccess(idleTimeout)
        .maximumSize(MAX_SESSIONS)
        .removalListener(closer)
        .build();
  }

  public Optional<Session> find(String id) {
    return Optional.ofNullable(sessions.getIfPresent(id));
  }

  public Session create(String user, String branch) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    Session session = new Session(HexFormat.of().formatHex(bytes), user, engine, branch);
    sessions.put(session.id(), session);
    return session;
  }

  /** Adopts a session under a fixed id (a bearer token's digest), creating it if needed. */
  public Session findOrCreate(String id, String user, String branch) {
    try {
      return sessions.get(id, () -> new Session(id, user, engine, branch));
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  public void close(String id) {
    sessions.invalidate(id);
  }

  public long size() {
    sessions.cleanUp();
    return sessions.size();
  }

  @Override
  public void close() {
    sessions.invalidateAll();
    sessions.cleanUp();
  }
}
