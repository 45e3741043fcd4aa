package dev.tarn.rest;

import dev.tarn.core.access.AccessControl;
import dev.tarn.core.auth.BearerTokens;
import dev.tarn.core.auth.LoginThrottle;
import dev.tarn.core.auth.LoginTokenStore;
import dev.tarn.core.auth.PasswordCheck;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.rest.responses.OAuthTokenResponse;

/**
 * Who a request comes from, with the same users, passwords and tokens as Flight SQL: an API token
 * ({@code CREATE TOKEN}) or a login token in {@code Authorization: Bearer}, or a user name and password
 * exchanged for a login token at {@code POST /v1/oauth/tokens} (OAuth2 client credentials: the client
 * id is the user, the secret the password). A server without users (open, loopback) needs none: every
 * caller is {@code anonymous}, as on Flight SQL.
 */
public final class RestAuthenticator {
  static final String ANONYMOUS = "anonymous";
  private static final String BEARER = "Bearer ";

  private final AccessControl access;
  private final BearerTokens bearers;
  private final PasswordCheck passwords;
  private final LoginTokenStore tokens;
  private final LoginThrottle throttle;

  private RestAuthenticator(AccessControl access, PasswordCheck passwords, LoginTokenStore tokens,
      LoginThrottle throttle) {
    this.access = access;
    this.bearers = access == null ? null : new BearerTokens(access, tokens);
    this.passwords = passwords;
    this.tokens = tokens;
    this.throttle = throttle;
  }

  /** A server without users: no credentials asked for. */
  public static RestAuthenticator open() {
    return new RestAuthenticator(null, null, null, null);
  }

  /**
   * A server with users: every request but the token exchange carries a bearer token. {@code throttle}
   * is the server's count of failed logins, shared with Flight SQL's password logins.
   */
  public static RestAuthenticator enforcing(AccessControl access, PasswordCheck passwords, LoginTokenStore tokens,
      LoginThrottle throttle) {
    return new RestAuthenticator(access, passwords, tokens, throttle);
  }

  boolean enforcing() {
    return access != null;
  }

  /** The user an {@code Authorization} header proves; 401 naming what is wrong otherwise. */
  String userOf(String authorization) {
    if (!enforcing()) {
      return ANONYMOUS;
    }
    if (authorization == null || !authorization.startsWith(BEARER)) {
      throw RestStatus.unauthorized("this Tarn server needs a bearer token: an API token (CREATE TOKEN) or one"
          + " from POST /v1/oauth/tokens with your user name as client_id and password as client_secret");
    }
    // an InvalidLoginException answers 401 with its message (RestErrors)
    return bearers.userOf(authorization.substring(BEARER.length()).strip());
  }

  /**
   * The OAuth2 client-credentials exchange: a login token for a user name and password, with the same
   * throttle on failures as Flight SQL's password logins.
   */
  OAuthTokenResponse exchange(Map<String, String> form, String clientAddress) {
    String grant = form.get("grant_type");
    if (!"client_credentials".equals(grant)) {
      throw new RestStatus(400, "unsupported_grant_type", "only grant_type=client_credentials is supported"
          + " (client_id = Tarn user, client_secret = password), not " + grant);
    }
    String user = form.getOrDefault("client_id", "");
    String password = form.getOrDefault("client_secret", "");
    String token;
    if (!enforcing()) {
      // clients configured with a credential still ask; an open server has nothing to prove
      token = ANONYMOUS;
    } else {
      throttle.checkAllowed(clientAddress, user);
      if (!passwords.matches(user, password)) {
        throttle.recordFailure(clientAddress, user);
        throw new RestStatus(401, "invalid_client", "wrong user name or password for this Tarn server");
      }
      token = tokens.issue(user);
    }
    OAuthTokenResponse.Builder response = OAuthTokenResponse.builder()
        .withToken(token)
        .withTokenType("bearer")
        .withIssuedTokenType("urn:ietf:params:oauth:token-type:access_token");
    Optional.ofNullable(tokens).ifPresent(t -> response.setExpirationInSeconds(
        (int) Math.min(Integer.MAX_VALUE, t.lifetime().toSeconds())));
    return response.build();
  }
}
