package dev.tarn.core.session;

import dev.tarn.executor.DuckDbEngine;
import java.security.SecureRandom;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions the server keeps: those of clients that send the session cookie back (or a bearer
 * token), those holding a transaction, and a connection's first stateful statement waiting for its
 * cookie. One-shot calls of clients that keep no cookie get a session stored nowhere and take no
 * slot. Past {@link SessionLimits}, the least recently used session that holds nothing its client
 * could miss (no transaction, no USE or temporary table, no prepared statement or pending result,
 * no call in progress) is closed to make room: its client simply gets a fresh session next time.
 * Sessions holding state are never pushed out; when all of them do, new ones are refused with an
 * error naming the limit. A session idle longer than the timeout is closed (rolling back its open
 * transaction).
 */
public final class SessionStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
  private static final HexFormat HEX = HexFormat.of();

  private final DuckDbEngine engine;
  private final SessionLimits limits;
  private final Consumer<Session> onClose;
  private final SessionIds ids = new SessionIds();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Session> byTransactionId = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;
  private final java.util.concurrent.atomic.AtomicLong recycled = new java.util.concurrent.atomic.AtomicLong();
  /** Sessions ended by KILL SESSION, with the message their client gets if it comes back. */
  private final Cache<String, String> ended =
      Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofDays(1)).build();

  public SessionStore(DuckDbEngine engine, SessionLimits limits, Consumer<Session> onClose) {
    this.engine = engine;
    this.limits = limits;
    this.onClose = onClose;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-session-sweeper");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, Math.min(30, limits.idleTimeout().toSeconds() / 4));
    sweeper.scheduleWithFixedDelay(this::closeIdle, every, every, TimeUnit.SECONDS);
  }

  public SessionLimits limits() {
    return limits;
  }

  /** A fresh session id for a cookie handed to a client; nothing is stored until it comes back. */
  public String newId() {
    return ids.next();
  }

  /** True for a cookie value this server process issued (kept or not). */
  public boolean issuedHere(String id) {
    return ids.issuedHere(id);
  }

  /** A session for one call of a client that sent no cookie: stored nowhere, keeps no connection. */
  public Session oneShot(String user, String branch) {
    return new Session(ids.next(), user, engine, branch, false);
  }

  public Optional<Session> find(String id) {
    return Optional.ofNullable(sessions.get(id));
  }

  /**
   * The session a cookie the client sent back names: the kept one, or a new kept one when the
   * cookie was handed out on a call that stored nothing (or its session has since ended or been
   * recycled). Empty when this server did not issue the cookie, or issued it to another user. The
   * session counts the call as using it until {@link #leaveCall}.
   */
  public Optional<Session> forReturnedCookie(String id, String user, String branch) {
    refuseEnded(id);
    if (!ids.issuedHere(id) && !sessions.containsKey(id)) {
      return Optional.empty();
    }
    Session session = kept(id, user, branch);
    if (!session.user().equals(user)) {
      session.leaveCall();
      return Optional.empty();
    }
    return Optional.of(session);
  }

  /**
   * The session of a bearer token (its digest is the id): every call with the token comes back to it.
   * The call counts as use only once the caller says so ({@link #used}): every client of an API token
   * shares its session, and the calls of one refused while another's transaction is open must not
   * keep that transaction from timing out.
   */
  public Session forToken(String id, String user, String branch) {
    return kept(id, user, branch, false);
  }

  /** Counts a call the session was found for as use of it, for {@code --session-idle-minutes}. */
  public void used(Session session) {
    session.touch();
  }

  private Session kept(String id, String user, String branch) {
    return kept(id, user, branch, true);
  }

  /** The session kept under the id, or a new one kept under it; entered for the call. */
  private Session kept(String id, String user, String branch, boolean use) {
    refuseEnded(id);
    while (true) {
      Session session = sessions.get(id);
      if (session == null) {
        session = keep(new Session(id, user, engine, branch));
      }
      // a session recycled between the lookup and here has ended: its client gets a fresh one
      if (session.enterCall()) {
        session.markKeepsState();
        if (use) {
          session.touch();
        }
        return session;
      }
      sessions.remove(id, session);
    }
  }

  /** The call that {@link #forReturnedCookie}, {@link #forToken} or {@link #enterCall} entered is over. */
  public void leaveCall(Session session) {
    session.leaveCall();
  }

  /** Counts a call as using the session (a one-shot session, a result's session while it streams). */
  public boolean enterCall(Session session) {
    return session.enterCall();
  }

  /**
   * Starts keeping a session (a one-shot one that begins a transaction, or makes a connection's
   * first stateful statement). Idempotent: a session kept under the same id is returned instead.
   *
   * @throws TarnException RESOURCE_EXHAUSTED past a limit
   */
  public synchronized Session keep(Session session) {
    Session existing = sessions.get(session.id());
    if (existing != null) {
      return existing;
    }
    if (sessions.size() >= limits.maxSessions() && !recycleOne(s -> true)) {
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "the server already keeps " + sessions.size()
          + " sessions, the limit set by --max-sessions, and each holds state (an open transaction, USE, a temporary"
          + " table, a prepared statement or a result being read); close connections you no longer use (idle sessions"
          + " end after --session-idle-minutes, " + limits.idleTimeout().toMinutes() + " min) or raise --max-sessions");
    }
    long ofUser = sessions.values().stream().filter(s -> s.user().equals(session.user())).count();
    if (ofUser >= limits.maxSessionsPerUser() && !recycleOne(s -> s.user().equals(session.user()))) {
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "user " + session.user() + " already has " + ofUser
          + " sessions, the limit set by --max-sessions-per-user, and each holds state (an open transaction, USE, a"
          + " temporary table, a prepared statement or a result being read); close connections you no longer use"
          + " (idle sessions end after --session-idle-minutes, " + limits.idleTimeout().toMinutes() + " min) or raise"
          + " --max-sessions-per-user");
    }
    session.retainConnection();
    session.touch();
    sessions.put(session.id(), session);
    return session;
  }

  /**
   * Makes room by closing the least recently used session that holds nothing its client could miss
   * (see {@link Session#closeIfHoldingNothing}); its client gets a fresh session on its next call.
   * Sessions with an open transaction or other state are never closed here.
   *
   * @return false when every session in {@code scope} holds state
   */
  private boolean recycleOne(java.util.function.Predicate<Session> scope) {
    List<Session> oldestFirst = sessions.values().stream().filter(scope)
        .sorted(java.util.Comparator.comparingLong(Session::lastUsedNanos)).toList();
    for (Session candidate : oldestFirst) {
      if (candidate.closeIfHoldingNothing()) {
        sessions.remove(candidate.id(), candidate);
        recycled.incrementAndGet();
        LOG.debug("recycled an unused session of {} to make room for a new one", candidate.user());
        return true;
      }
    }
    return false;
  }

  /** Sessions closed so far to make room for new ones. */
  public long recycled() {
    return recycled.get();
  }

  /** Gives the kept session's open transaction a Flight SQL transaction id, by which any call can reach it. */
  public String bindTransaction(Session session) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String id = HEX.formatHex(bytes);
    session.flightTransactionId().ifPresent(byTransactionId::remove);
    session.flightTransactionId(id);
    byTransactionId.put(id, session);
    return id;
  }

  /**
   * The session holding the open transaction with this Flight SQL id.
   *
   * @throws TarnException NOT_FOUND for an id this server does not
   *     know, PERMISSION_DENIED for another user's transaction
   */
  public Session forTransaction(String id, String user) {
    Session session = byTransactionId.get(id);
    if (session != null && !session.flightTransactionId().map(id::equals).orElse(false)) {
      byTransactionId.remove(id, session);
      session = null;
    }
    if (session == null || sessions.get(session.id()) != session) {
      throw new TarnException(Kind.NOT_FOUND, "unknown transaction id " + printable(id) + ": no open"
          + " transaction has it (it was committed or rolled back, it ended after --session-idle-minutes idle, or"
          + " the server restarted); begin a new transaction");
    }
    if (!session.user().equals(user)) {
      throw new TarnException(Kind.PERMISSION_DENIED, "transaction " + printable(id) + " belongs to another user");
    }
    session.touch();
    return session;
  }

  /** After a transaction ends: a session kept only for it goes, since no client comes back to it. */
  public void transactionEnded(Session session) {
    if (!session.keepsState() && session.transaction().isEmpty()) {
      close(session.id());
    }
  }

  public void close(String id) {
    Session session = sessions.remove(id);
    if (session != null) {
      session.flightTransactionId().ifPresent(byTransactionId::remove);
      try {
        onClose.accept(session);
      } finally {
        session.close();
      }
    }
  }

  public long size() {
    return sessions.size();
  }

  /** The kept sessions: those {@code --max-sessions} and {@code --max-sessions-per-user} count. */
  public List<Session> list() {
    return List.copyOf(sessions.values());
  }

  /**
   * Ends a session for good ({@code KILL SESSION}): closes it, which rolls back its open transaction,
   * and refuses its client's later calls with {@code message} instead of quietly starting a new
   * session under the same cookie or token. The caller cancels its running statements first.
   *
   * @return true when a kept session had this id
   */
  public boolean end(String id, String message) {
    ended.put(id, message);
    boolean kept = sessions.containsKey(id);
    close(id);
    return kept;
  }

  private void refuseEnded(String id) {
    String message = ended.getIfPresent(id);
    if (message != null) {
      throw new TarnException(Kind.INVALID_ARGUMENT, message);
    }
  }

  private void closeIdle() {
    try {
      for (Session idle : sessions.values().stream().filter(s -> s.idleLongerThan(limits.idleTimeout())).toList()) {
        LOG.info("closing a session of {} after {} min idle{}", idle.user(), limits.idleTimeout().toMinutes(),
            idle.transaction().isPresent() ? ", rolling back its open transaction" : "");
        close(idle.id());
      }
    } catch (RuntimeException e) {
      LOG.warn("closing idle sessions failed: {}", e.toString());
    }
  }

  static String printable(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }

  /** Ends every session, after a sweep under way has ended: the engine closes next. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      sweeper.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sessions.keySet().forEach(this::close);
  }
}
