package dev.tarn.server.auth;

import dev.tarn.core.TarnException;
import dev.tarn.core.auth.LoginThrottle;
import dev.tarn.server.flight.ErrorMapper;
import dev.tarn.server.session.ClientAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link LoginThrottle} in front of password logins (basic credentials), and logs each
 * failed one with its user name and client address. Bearer tokens pass straight through: they are
 * random and only issued after a successful login.
 */
public final class ThrottledAuthenticator implements CallHeaderAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(ThrottledAuthenticator.class);
  private static final int MAX_LOGGED_NAME = 64;

  private final CallHeaderAuthenticator delegate;
  private final LoginThrottle throttle;

  /** @param throttle the server's count of failed logins, shared with its other front doors */
  public ThrottledAuthenticator(CallHeaderAuthenticator delegate, LoginThrottle throttle) {
    this.delegate = delegate;
    this.throttle = throttle;
  }

  @Override
  public AuthResult authenticate(CallHeaders headers) {
    String authorization = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
    if (authorization == null || !authorization.startsWith(Auth2Constants.BASIC_PREFIX)) {
      return delegate.authenticate(headers);
    }
    String address = ClientAddress.host(headers).orElse("unknown address");
    String user = printable(basicUser(authorization.substring(Auth2Constants.BASIC_PREFIX.length())));
    try {
      throttle.checkAllowed(address, user);
    } catch (TarnException refused) {
      throw ErrorMapper.toFlight(refused);
    }
    try {
      return delegate.authenticate(headers);
    } catch (FlightRuntimeException e) {
      if (e.status().code() == FlightStatusCode.UNAUTHENTICATED) {
        throttle.recordFailure(address, user);
        LOG.warn("failed login for user {} from {}", user, address);
      }
      throw e;
    }
  }

  /** The user name of a basic credential, or an empty string when it cannot be decoded. */
  private static String basicUser(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? decoded : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** A user name as it may appear in a log line and a message: no control characters, bounded length. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().limit(MAX_LOGGED_NAME).forEach(c -> {
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return "'" + out + (name.codePointCount(0, name.length()) > MAX_LOGGED_NAME ? "...'" : "'");
  }
}
