package dev.tarn.server.auth;

import dev.tarn.core.access.AccessControl;
import dev.tarn.core.access.ApiTokens;
import dev.tarn.core.auth.BearerTokens;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Accepts API tokens ({@code Authorization: Bearer tarn_...}, made by CREATE TOKEN) on every call,
 * checked against the current access state, so a dropped or expired token fails its next call. Other
 * calls (basic logins, the bearer tokens handed out for them) go to the delegate ({@link LoginTokens}).
 */
public final class ApiTokenAuthenticator implements CallHeaderAuthenticator {
  private final CallHeaderAuthenticator delegate;
  private final AccessControl access;

  public ApiTokenAuthenticator(CallHeaderAuthenticator delegate, AccessControl access) {
    this.delegate = delegate;
    this.access = access;
  }

  @Override
  public AuthResult authenticate(CallHeaders headers) {
    String authorization = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
    if (authorization != null && authorization.startsWith(Auth2Constants.BEARER_PREFIX)) {
      String bearer = authorization.substring(Auth2Constants.BEARER_PREFIX.length()).strip();
      if (ApiTokens.looksLikeApiToken(bearer)) {
        String user = access.userOfToken(bearer).orElseThrow(() -> CallStatus.UNAUTHENTICATED
            .withDescription(BearerTokens.UNKNOWN_API_TOKEN).toRuntimeException());
        return () -> user;
      }
    }
    return delegate.authenticate(headers);
  }
}
