package dev.tarn.server.auth;

import dev.tarn.server.ServerConfig.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator.AuthResult;

/** Checks basic credentials against the configured user, in constant time. */
public final class PasswordValidator implements BasicCallHeaderAuthenticator.CredentialValidator {
  private final Credentials expected;

  public PasswordValidator(Credentials expected) {
    this.expected = expected;
  }

  @Override
  public AuthResult validate(String username, String password) {
    boolean userOk = constantTimeEquals(expected.user(), username);
    boolean passwordOk = constantTimeEquals(expected.password(), password);
    if (!(userOk && passwordOk)) {
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
