package dev.tarn.mcp;

import dev.tarn.core.access.AccessControl;
import dev.tarn.core.auth.BearerTokens;
import dev.tarn.core.auth.InvalidLoginException;
import dev.tarn.core.auth.LoginTokenStore;
import java.util.Optional;

/**
 * Who an MCP request comes from, with the same tokens as Flight SQL and the Iceberg REST catalog: an
 * API token ({@code CREATE TOKEN}) or a login token in {@code Authorization: Bearer}. A server without
 * users (open, loopback) needs none: every caller is {@code anonymous}, as on Flight SQL.
 */
public final class McpAuthenticator {
  static final String ANONYMOUS = "anonymous";
  private static final String BEARER = "Bearer ";

  private final AccessControl access;
  private final BearerTokens bearers;

  private McpAuthenticator(AccessControl access, LoginTokenStore tokens) {
    this.access = access;
    this.bearers = access == null ? null : new BearerTokens(access, tokens);
  }

  /** A server without users: no credentials asked for. */
  public static McpAuthenticator open() {
    return new McpAuthenticator(null, null);
  }

  /** A server with users: every request carries an API token or a login token. */
  public static McpAuthenticator enforcing(AccessControl access, LoginTokenStore tokens) {
    return new McpAuthenticator(access, tokens);
  }

  /** The bearer token an {@code Authorization} header carries, if it carries one. */
  static Optional<String> bearerOf(String authorization) {
    return authorization != null && authorization.startsWith(BEARER)
        ? Optional.of(authorization.substring(BEARER.length()).strip()) : Optional.empty();
  }

  /** The user an {@code Authorization} header proves, or why it proves none. */
  Result userOf(String authorization) {
    if (access == null) {
      return Result.user(ANONYMOUS);
    }
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return Result.refused("this Tarn server needs Authorization: Bearer <token>, with an API token (CREATE TOKEN)"
          + " or a login token");
    }
    try {
      return Result.user(bearers.userOf(authorization.substring(BEARER.length()).strip()));
    } catch (InvalidLoginException e) {
      return Result.refused(e.getMessage());
    }
  }

  /** A proven user, or the reason for refusing the request. */
  record Result(Optional<String> user, String refusal) {
    static Result user(String name) {
      return new Result(Optional.of(name), null);
    }

    static Result refused(String why) {
      return new Result(Optional.empty(), why);
    }
  }
}
