package dev.tarn.server.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServerMiddleware;
import org.apache.arrow.flight.RequestContext;
import org.apache.arrow.flight.auth2.Auth2Constants;

/**
 * Finds the session of each call: by the session cookie the server set earlier (the Flight SQL JDBC
 * driver and ADBC with cookies send it back), else by the bearer token, else a new session whose
 * cookie goes out with the response. Also reads the {@code branch} call header.
 */
public final class SessionMiddleware implements FlightServerMiddleware {
  public static final Key<SessionMiddleware> KEY = Key.of("tarn-session");
  public static final String COOKIE = "tarn_session";
  public static final String BRANCH_HEADER = "branch";

  private final Factory factory;
  private final CallHeaders incoming;
  private Session session;
  private boolean isNew;

  private SessionMiddleware(Factory factory, CallHeaders incoming) {
    this.factory = factory;
    this.incoming = incoming;
  }

  /** This call's session, found or created on first ask. */
  public synchronized Session session(String user) {
    if (session != null) {
      return session;
    }
    String branch = incoming.get(BRANCH_HEADER);
    String cookieId = cookie(incoming, COOKIE);
    if (cookieId != null) {
      session = factory.store.find(cookieId).orElse(null);
    }
    if (session == null) {
      String bearer = bearerToken(incoming);
      if (bearer != null) {
        session = factory.store.findOrCreate("token-" + digest(bearer), user, branch);
      } else {
        session = factory.store.create(user, branch);
      }
      isNew = true;
    }
    if (branch != null && !branch.isBlank()) {
      session.setBranch(branch);
    }
    return session;
  }

  /** Forgets the session (CloseSession); its engine connections close. */
  public synchronized void closeSession() {
    if (session != null) {
      factory.store.close(session.id());
    }
  }

  @Override
  public synchronized void onBeforeSendingHeaders(CallHeaders outgoing) {
    if (session != null && isNew && !session.id().startsWith("token-")) {
      outgoing.insert("set-cookie", COOKIE + "=" + session.id() + "; Path=/; HttpOnly");
    }
  }

  @Override
  public void onCallCompleted(CallStatus status) {}

  @Override
  public void onCallErrored(Throwable err) {}

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

    public Factory(SessionStore store) {
      this.store = store;
    }

    @Override
    public SessionMiddleware onCallStarted(CallInfo info, CallHeaders incomingHeaders, RequestContext context) {
      return new SessionMiddleware(this, incomingHeaders);
    }
  }
}
