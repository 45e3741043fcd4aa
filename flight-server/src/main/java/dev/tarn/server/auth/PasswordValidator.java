package dev.tarn.server.auth;

import dev.tarn.core.access.AccessControl;
import dev.tarn.server.ServerConfig.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator.AuthResult;

/**
 * Checks basic credentials: the admin the server was started with (its password compared in constant
 * time), or a user made by CREATE USER (against their BCrypt hash).
 */
public final class PasswordValidator implements BasicCallHeaderAuthenticator.CredentialValidator {
  private final Credentials expected;
  private final AccessControl users;

  public PasswordValidator(Credentials expected, AccessControl users) {
    this.expected = expected;
    this.users = users;
  }

  @Override
  public AuthResult validate(String username, String password) {
    boolean userOk = constantTimeEquals(expected.user(), username);
    boolean passwordOk = constantTimeEquals(expected.password(), password);
    boolean admin = userOk && passwordOk;
    if (!admin && (userOk || !users.checkPassword(username, password))) {
      throw CallStatus.UNAUTHENTICATED
          .withDescription("wrong user name or password for this Tarn server")
          .toRuntimeException();
    }
    return () -> username;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), (b == null ? "" : b).getBytes(StandardCharsets.UTF_8));
  }
}
