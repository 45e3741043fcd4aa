package dev.tarn.server.session;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * What the server remembers about each client transport connection, to tell a client that keeps
 * the session cookie from one that does not before it has had a chance to send the cookie back.
 *
 * <p>Every response to a call without a cookie sets one. ADBC's first call is a metadata call
 * made at connect, so a cookie-keeping ADBC client sends the cookie from its first statement on;
 * the stock JDBC driver makes no call at connect, so its very first statement comes without one.
 * A statement that changes session state is therefore accepted on a connection's first call (its
 * session is kept and waits for the cookie), and refused on a later cookieless call, when the
 * client has shown it drops cookies. If the cookie of that first call never comes back, the next
 * call on the connection is told that the change was discarded.
 */
final class ClientConnections {
  private final Cache<String, Connection> connections;

  ClientConnections(int maxRemembered, Duration forgetAfter) {
    this.connections = CacheBuilder.newBuilder().maximumSize(maxRemembered).expireAfterAccess(forgetAfter).build();
  }

  /** A session kept for a connection's first statement, which waits for its cookie to come back. */
  record Provisional(String sessionId, String statement) {}

  private static final class Connection {
    private volatile Provisional provisional;
    private volatile String transactionSessionId;
    private volatile String headerFollowed;
  }

  /**
   * Whether this connection's calls have not yet taken {@code session} to the branch {@code header}
   * names (a connection forgotten counts as new).
   */
  boolean newBranchHeader(String connection, String session, String header) {
    Connection state = connections.getIfPresent(connection);
    return state != null && !(session + "\n" + header).equals(state.headerFollowed);
  }

  /** Remembers that this connection's calls took {@code session} to the branch {@code header} names. */
  void branchHeaderFollowed(String connection, String session, String header) {
    Connection state = connections.getIfPresent(connection);
    if (state != null) {
      state.headerFollowed = session + "\n" + header;
    }
  }

  /** A client that keeps no cookie began a transaction on this connection, held by this session. */
  void transactionBegan(String connection, String sessionId) {
    Connection state = connections.getIfPresent(connection);
    if (state != null) {
      state.transactionSessionId = sessionId;
    }
  }

  /** The session of the last transaction a cookieless client began on this connection, if any. */
  Optional<String> transactionSession(String connection) {
    Connection state = connections.getIfPresent(connection);
    return state == null ? Optional.empty() : Optional.ofNullable(state.transactionSessionId);
  }

  /** Records a call on a connection; true when it is the first call seen on it. */
  boolean recordCall(String connection) {
    boolean[] created = {false};
    try {
      connections.get(connection, () -> {
        created[0] = true;
        return new Connection();
      });
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    return created[0];
  }

  void awaitCookie(String connection, Provisional provisional) {
    Connection state = connections.getIfPresent(connection);
    if (state != null) {
      state.provisional = provisional;
    }
  }

  /** The client sent a cookie: whatever waited on this connection is settled. */
  void cookieReturned(String connection) {
    Connection state = connections.getIfPresent(connection);
    if (state != null) {
      state.provisional = null;
    }
  }

  /** A session that waited for its cookie on this connection, now that a call came without it. */
  Optional<Provisional> takeUnreturned(String connection) {
    Connection state = connections.getIfPresent(connection);
    if (state == null) {
      return Optional.empty();
    }
    synchronized (state) {
      Provisional provisional = state.provisional;
      state.provisional = null;
      return Optional.ofNullable(provisional);
    }
  }
}
