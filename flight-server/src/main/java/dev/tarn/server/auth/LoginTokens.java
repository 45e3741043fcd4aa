package dev.tarn.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.core.access.AccessControl;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Hands out a bearer token for each successful password login and accepts it on the calls that
 * follow. A token remembers the credential the login proved ({@link AccessControl#credentialStamp}),
 * and every call compares it with the current access state: a session of a dropped user stays dead
 * when someone else is later created under the same name, and a password change ends every session
 * opened with the old password (also the one that changed it: its next call asks to connect again).
 */
public final class LoginTokens implements CallHeaderAuthenticator {
  /** Not an API token's {@code tarn_} prefix, and not in the base64url alphabet, so the two never mix. */
  private static final String PREFIX = "login.";
  private static final int TOKEN_BYTES = 32;
  private static final long MAX_LIVE_TOKENS = 100_000;

  private final CallHeaderAuthenticator passwords;
  private final AccessControl access;
  private final Cache<String, Login> logins;
  private final SecureRandom random = new SecureRandom();

  /** What one login proved. */
  private record Login(String user, String credentialStamp) {}

  /**
   * @param passwords checks basic credentials and returns the user they prove
   * @param lifetime how long a token stays valid after its login
   */
  public LoginTokens(CallHeaderAuthenticator passwords, AccessControl access, Duration lifetime) {
    this.passwords = passwords;
    this.access = access;
    this.logins = Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(MAX_LIVE_TOKENS).build();
  }

  @Override
  public AuthResult authenticate(CallHeaders headers) {
    String authorization = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
    if (authorization != null && authorization.startsWith(Auth2Constants.BEARER_PREFIX)) {
      return resume(authorization.substring(Auth2Constants.BEARER_PREFIX.length()).strip());
    }
    String user = passwords.authenticate(headers).getPeerIdentity();
    String stamp = access.credentialStamp(user).orElseThrow(() -> noLongerExists(user));
    String token = PREFIX + newSecret();
    logins.put(token, new Login(user, stamp));
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

  private AuthResult resume(String token) {
    Login login = logins.getIfPresent(token);
    if (login == null) {
      throw CallStatus.UNAUTHENTICATED.withDescription("this session's login has expired or is unknown to this"
          + " server (it may have restarted); connect again with your user name and password").toRuntimeException();
    }
    Optional<String> now = access.credentialStamp(login.user());
    if (now.isEmpty() || !now.get().equals(login.credentialStamp())) {
      throw now.isEmpty() ? noLongerExists(login.user()) : CallStatus.UNAUTHENTICATED.withDescription("this session's login"
          + " is no longer valid: user " + login.user() + " was dropped and created again, or their password changed"
          + " since; connect again").toRuntimeException();
    }
    return () -> login.user();
  }

  private static RuntimeException noLongerExists(String user) {
    return CallStatus.UNAUTHENTICATED.withDescription("user " + user + " no longer exists on this server")
        .toRuntimeException();
  }

  private String newSecret() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
