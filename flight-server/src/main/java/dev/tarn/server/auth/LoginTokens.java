package dev.tarn.server.auth;

import dev.tarn.core.auth.InvalidLoginException;
import dev.tarn.core.auth.LoginTokenStore;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Hands out a bearer token for each successful password login and accepts it on the calls that
 * follow. The tokens live in core's {@link LoginTokenStore}, shared with the other front doors, which
 * checks at every call that the login still counts (the user exists, the password is unchanged).
 */
public final class LoginTokens implements CallHeaderAuthenticator {
  private final CallHeaderAuthenticator passwords;
  private final LoginTokenStore tokens;

  /** @param passwords checks basic credentials and returns the user they prove */
  public LoginTokens(CallHeaderAuthenticator passwords, LoginTokenStore tokens) {
    this.passwords = passwords;
    this.tokens = tokens;
  }

  @Override
  public AuthResult authenticate(CallHeaders headers) {
    String authorization = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
    if (authorization != null && authorization.startsWith(Auth2Constants.BEARER_PREFIX)) {
      String user = unauthenticatedUnless(
          () -> tokens.userOf(authorization.substring(Auth2Constants.BEARER_PREFIX.length()).strip()));
      return () -> user;
    }
    String user = passwords.authenticate(headers).getPeerIdentity();
    String token = unauthenticatedUnless(() -> tokens.issue(user));
    return new AuthResult() {
      @Override
      public String getPeerIdentity() {
        return user;
      }

      @Override
      public void appendToOutgoingHeaders(CallHeaders outgoing) {
        outgoing.insert(Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + token);
      }
    };
  }

  private static String unauthenticatedUnless(java.util.function.Supplier<String> check) {
    try {
      return check.get();
    } catch (InvalidLoginException e) {
      throw CallStatus.UNAUTHENTICATED.withDescription(e.getMessage()).toRuntimeException();
    }
  }
}
