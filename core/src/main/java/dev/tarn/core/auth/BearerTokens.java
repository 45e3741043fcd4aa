package dev.tarn.core.auth;

import dev.tarn.core.access.AccessControl;
import dev.tarn.core.access.ApiTokens;

/**
 * The user a bearer token proves, the same at every front door that takes one: an API token
 * ({@code CREATE TOKEN}), or a login token a password login or an OAuth2 exchange handed out.
 */
public final class BearerTokens {
  /** Why an API token proves no one. */
  public static final String UNKNOWN_API_TOKEN =
      "this API token is unknown, was dropped, or has expired; ask an admin for a new one (CREATE TOKEN)";

  private final AccessControl access;
  private final LoginTokenStore logins;

  public BearerTokens(AccessControl access, LoginTokenStore logins) {
    this.access = access;
    this.logins = logins;
  }

  /**
   * The user {@code bearer} proves.
   *
   * @throws InvalidLoginException naming why it proves no one
   */
  public String userOf(String bearer) {
    if (ApiTokens.looksLikeApiToken(bearer)) {
      return access.userOfToken(bearer).orElseThrow(() -> new InvalidLoginException(UNKNOWN_API_TOKEN));
    }
    return logins.userOf(bearer);
  }
}
