package dev.tarn.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.core.access.AccessControl;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The bearer tokens a password login earns, shared by every front door (Flight SQL, the Iceberg REST
 * catalog): a token from one is good at the other. A token remembers the credential the login proved
 * ({@link AccessControl#credentialStamp}), and every use compares it with the current access state: a
 * token of a dropped user stays dead when someone else is later created under the same name, and a
 * password change ends every token issued for the old password.
 */
public final class LoginTokenStore {
  /** Not an API token's {@code tarn_} prefix, and not in the base64url alphabet, so the two never mix. */
  public static final String PREFIX = "login.";
  private static final int TOKEN_BYTES = 32;
  private static final long MAX_LIVE_TOKENS = 100_000;

  private final AccessControl access;
  private final Duration lifetime;
  private final Cache<String, Login> logins;
  private final SecureRandom random = new SecureRandom();

  /** What one login proved. */
  private record Login(String user, String credentialStamp) {}

  /** @param lifetime how long a token stays valid after its login */
  public LoginTokenStore(AccessControl access, Duration lifetime) {
    this.access = access;
    this.lifetime = lifetime;
    this.logins = Caffeine.newBuilder().expireAfterWrite(lifetime).maximumSize(MAX_LIVE_TOKENS).build();
  }

  public Duration lifetime() {
    return lifetime;
  }

  /**
   * A new token for a user whose password was just checked.
   *
   * @throws InvalidLoginException if the user no longer exists
   */
  public String issue(String user) {
    String stamp = access.credentialStamp(user).orElseThrow(() -> noLongerExists(user));
    String token = PREFIX + newSecret();
    logins.put(token, new Login(user, stamp));
    return token;
  }

  /**
   * The user a token was issued to, if it is still good.
   *
   * @throws InvalidLoginException naming why the token no longer counts
   */
  public String userOf(String token) {
    Login login = token == null ? null : logins.getIfPresent(token);
    if (login == null) {
      throw new InvalidLoginException("this login has expired or is unknown to this server (it may have"
          + " restarted); connect again with your user name and password");
    }
    Optional<String> now = access.credentialStamp(login.user());
    if (now.isEmpty()) {
      throw noLongerExists(login.user());
    }
    if (!now.get().equals(login.credentialStamp())) {
      throw new InvalidLoginException("this login is no longer valid: user " + login.user() + " was dropped and"
          + " created again, or their password changed since; connect again");
    }
    return login.user();
  }

  private static InvalidLoginException noLongerExists(String user) {
    return new InvalidLoginException("user " + user + " no longer exists on this server");
  }

  private String newSecret() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
