package dev.tarn.server.session;

import dev.tarn.catalog.ReferenceNotFoundException;
import dev.tarn.core.access.ApiTokens;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.FlightServerMiddleware;
import org.apache.arrow.flight.RequestContext;
import org.apache.arrow.flight.auth2.Auth2Constants;

/**
 * Finds the session of each call: by the bearer token, else by the session cookie the client sent
 * back (the Flight SQL JDBC driver, and ADBC with its cookie middleware, do), else a one-shot
 * session stored nowhere. Every response to a call without a cookie sets one, so a client that
 * keeps cookies is recognised from its next call. Also reads the {@code branch} call header.
 */
public final class SessionMiddleware implements FlightServerMiddleware {
  public static final Key<SessionMiddleware> KEY = Key.of("tarn-session");
  public static final String COOKIE = "tarn_session";
  public static final String BRANCH_HEADER = "branch";
  /** The ADBC option that makes ADBC keep cookies; error messages name it. */
  public static final String ADBC_COOKIE_OPTION = "adbc.flight.sql.rpc.with_cookie_middleware";

  private final Factory factory;
  private final CallHeaders incoming;
  private final Optional<String> connection;
  private final boolean firstCallOnConnection;
  private Session session;
  private String cookieToSet;
  /** Sessions this call uses, entered so they are not recycled under it; left when the call ends. */
  private final java.util.List<Session> entered = new java.util.ArrayList<>();

  private SessionMiddleware(Factory factory, CallHeaders incoming) {
    this.factory = factory;
    this.incoming = incoming;
    this.connection = ClientAddress.connection(incoming);
    this.firstCallOnConnection = connection.map(factory.connections::recordCall).orElse(false);
  }

  private Session.SharedClient sharedClient(String connection, String branch) {
    return new Session.SharedClient() {
      @Override
      public boolean isNew() {
        return factory.connections.newBranchHeader(connection, session.id(), branch);
      }

      @Override
      public void followed() {
        factory.connections.branchHeaderFollowed(connection, session.id(), branch);
      }
    };
  }

  /** The bearer token this call carries (an API token, or the token a login handed out), if any. */
  public Optional<String> bearer() {
    return Optional.ofNullable(bearerToken(incoming)).map(String::strip);
  }

  /** This call's session, found or created on first ask. */
  public synchronized Session session(String user) {
    if (session != null) {
      return session;
    }
    String branch = incoming.get(BRANCH_HEADER);
    if (branch != null && Transactions.isTransactionBranch(branch)) {
      // a transaction's private branch exists for its own session only (ReferenceCommands.visible)
      throw CallStatus.NOT_FOUND.withDescription(ReferenceNotFoundException.of(branch, null).getMessage())
          .toRuntimeException();
    }
    String bearer = bearerToken(incoming);
    String cookieId = cookie(incoming, COOKIE);
    if (bearer != null) {
      session = factory.store.forToken("token-" + digest(bearer), user, branch);
      entered.add(session);
    } else if (cookieId != null) {
      session = factory.store.forReturnedCookie(cookieId, user, branch).orElse(null);
      if (session != null) {
        entered.add(session);
        connection.ifPresent(factory.connections::cookieReturned);
      }
    }
    if (session == null) {
      Optional<ClientConnections.Provisional> dropped = connection.flatMap(factory.connections::takeUnreturned);
      if (dropped.isPresent()) {
        factory.store.close(dropped.get().sessionId());
        throw CallStatus.INVALID_ARGUMENT.withDescription("the previous statement on this connection ("
            + dropped.get().statement() + ") changed the session, but the client did not send back the session"
            + " cookie, so that change was discarded. " + cookieAdvice()).toRuntimeException();
      }
      session = factory.store.oneShot(user, branch);
      useDuringCall(session);
      cookieToSet = session.id();
    }
    // An API token's session is shared by its clients (each run of tarn sql --token is one): the first
    // call of a client's connection moves it to the branch that client names. Otherwise the header moves
    // a session only when it names another branch, so that USE and BEGIN hold for the calls repeating it.
    boolean sharedByClients = bearer != null && ApiTokens.looksLikeApiToken(bearer.strip());
    if (branch != null && !branch.isBlank() && !session.followBranchHeader(branch,
        sharedByClients && connection.isPresent() ? sharedClient(connection.get(), branch) : Session.SharedClient.NONE)) {
      throw CallStatus.INVALID_ARGUMENT.withDescription("this call's branch header names " + branch + ", but the"
          + " session has a transaction open on " + session.transaction().map(t -> t.target()).orElse("?")
          + ", begun by a client naming that branch: end it (COMMIT or ROLLBACK) from there first").toRuntimeException();
    }
    if (bearer != null) {
      factory.store.used(session); // a call refused above is no use: it must not keep the transaction alive
    }
    ClientAddress.display(incoming).ifPresent(session::calledFrom);
    return session;
  }

  /**
   * Makes sure the state {@code statement} leaves in {@code target} (USE, BEGIN, a temporary table,
   * a session option) reaches the client's next statements: the client keeps its session, or this
   * is its connection's first call, whose session is then kept until the cookie comes back.
   *
   * @throws org.apache.arrow.flight.FlightRuntimeException INVALID_ARGUMENT naming the fix when the
   *     client keeps no session, so the change would silently not last
   */
  public synchronized void requireKeptState(Session target, String statement) {
    target.markHoldsState();
    if (target.keepsState()) {
      return;
    }
    if (target == session && cookieToSet != null && firstCallOnConnection && connection.isPresent()) {
      factory.store.keep(target);
      factory.connections.awaitCookie(connection.get(), new ClientConnections.Provisional(target.id(), statement));
      return;
    }
    throw CallStatus.INVALID_ARGUMENT.withDescription(statement + " changes the session, but this client does not"
        + " send back the session cookie, so its next statement would not see the change. " + cookieAdvice())
        .toRuntimeException();
  }

  private static String cookieAdvice() {
    return "Keep the session: with ADBC, connect with db_kwargs={\"" + ADBC_COOKIE_OPTION + "\": \"true\"} (the Flight"
        + " SQL JDBC driver keeps it already); or name schemas and branches in each statement, and use the driver's"
        + " transactions (ADBC autocommit=False) instead of BEGIN and COMMIT.";
  }

  /** Remembers that a client keeping no cookie holds a transaction begun on this call's connection. */
  public void transactionBegan(Session target) {
    if (!target.keepsState()) {
      connection.ifPresent(c -> factory.connections.transactionBegan(c, target.id()));
    }
  }

  /**
   * Refuses a write that came without a transaction id from a client that keeps no cookie while
   * it has a transaction open on this connection: it would commit on its own, outside the
   * transaction (ADBC sends no transaction id with bulk ingest).
   */
  public synchronized void refuseWriteBesideOpenTransaction(Session target, String what) {
    if (target != session || cookieToSet == null || connection.isEmpty()) {
      return;
    }
    boolean open = factory.connections.transactionSession(connection.get()).flatMap(factory.store::find)
        .flatMap(Session::transaction).isPresent();
    if (open) {
      throw CallStatus.INVALID_ARGUMENT.withDescription("this " + what + " came without the id of the transaction"
          + " this client has open, so it would commit on its own, outside the transaction (ADBC sends no transaction"
          + " id with bulk ingest). " + cookieAdvice()).toRuntimeException();
    }
  }

  /** Keeps this call's session (it is about to hold a transaction). */
  public Session keep(Session target) {
    return factory.store.keep(target);
  }

  /** The store, for binding transactions to their Flight SQL ids. */
  public SessionStore store() {
    return factory.store;
  }

  /**
   * Closes the kept session this call's cookie or login token names (CloseSession), without
   * creating one, and has {@code releaseHandles} release what its client left waiting (prepared
   * statements, results not fetched). An API token's session is shared by every client of the
   * token, so one client closing its connection must not end the others' transactions: it is not
   * closable. (A login token handed to several connections is shared too, and is closed.)
   */
  public CloseSessionResult.Status closeSession(String user, java.util.function.Consumer<Session> releaseHandles) {
    String bearer = bearerToken(incoming);
    if (bearer != null && ApiTokens.looksLikeApiToken(bearer.strip())) {
      return CloseSessionResult.Status.NOT_CLOSABLE;
    }
    String id = bearer != null ? "token-" + digest(bearer) : cookie(incoming, COOKIE);
    if (id != null) {
      factory.store.find(id).filter(s -> s.user().equals(user)).ifPresent(session -> {
        factory.closeAtClientsRequest.accept(session);
        releaseHandles.accept(session);
      });
    }
    return CloseSessionResult.Status.CLOSED;
  }

  /** Hands a cookie to every client that sent none this server issued, so a cookie-keeping client is known next time. */
  @Override
  public synchronized void onBeforeSendingHeaders(CallHeaders outgoing) {
    if (bearerToken(incoming) != null) {
      return;
    }
    String id = cookieToSet;
    if (id == null) {
      String sent = cookie(incoming, COOKIE);
      if (sent != null && factory.store.issuedHere(sent)) {
        return;
      }
      id = factory.store.newId();
    }
    outgoing.insert("set-cookie", COOKIE + "=" + id + "; Path=/; HttpOnly");
  }

  /**
   * Counts this call as using the session (a result's session while its rows stream), so that it is
   * not recycled to make room for another until the call ends.
   */
  public synchronized void useDuringCall(Session target) {
    if (factory.store.enterCall(target)) {
      entered.add(target);
    }
  }

  @Override
  public void onCallCompleted(CallStatus status) {
    leaveSessions();
  }

  @Override
  public void onCallErrored(Throwable err) {
    leaveSessions();
  }

  private synchronized void leaveSessions() {
    entered.forEach(factory.store::leaveCall);
    entered.clear();
  }

  static String cookie(CallHeaders headers, String name) {
    Iterable<String> values = headers.getAll("cookie");
    if (values == null) {
      return null;
    }
    for (String header : values) {
      for (String part : header.split(";")) {
        String[] kv = part.strip().split("=", 2);
        if (kv.length == 2 && kv[0].equals(name) && !kv[1].isBlank()) {
          return kv[1].strip();
        }
      }
    }
    return null;
  }

  private static String bearerToken(CallHeaders headers) {
    String auth = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
    if (auth != null && auth.startsWith(Auth2Constants.BEARER_PREFIX)) {
      return auth.substring(Auth2Constants.BEARER_PREFIX.length());
    }
    return null;
  }

  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates one middleware per call. */
  public static final class Factory implements FlightServerMiddleware.Factory<SessionMiddleware> {
    private final SessionStore store;
    private final ClientConnections connections;
    private final java.util.function.Consumer<Session> closeAtClientsRequest;

    /** @param closeAtClientsRequest ends a session its client closes: cancels its statements, then closes it */
    public Factory(SessionStore store, java.util.function.Consumer<Session> closeAtClientsRequest) {
      this.store = store;
      this.closeAtClientsRequest = closeAtClientsRequest;
      // A connection is remembered at least as long as a session it used lives unused: a client of a
      // shared token session that began a transaction is still known when it comes back to end it.
      java.time.Duration idle = store.limits().idleTimeout();
      this.connections = new ClientConnections(100_000,
          idle.compareTo(java.time.Duration.ofMinutes(10)) > 0 ? idle : java.time.Duration.ofMinutes(10));
    }

    @Override
    public SessionMiddleware onCallStarted(CallInfo info, CallHeaders incomingHeaders, RequestContext context) {
      return new SessionMiddleware(this, incomingHeaders);
    }
  }
}
