package dev.tarn.server.auth;

import dev.tarn.core.auth.PasswordCheck;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator.AuthResult;

/**
 * Checks basic credentials with core's {@link PasswordCheck}: the admin the server was started with,
 * or a user made by CREATE USER.
 */
public final class PasswordValidator implements BasicCallHeaderAuthenticator.CredentialValidator {
  private final PasswordCheck passwords;

  public PasswordValidator(PasswordCheck passwords) {
    this.passwords = passwords;
  }

  @Override
  public AuthResult validate(String username, String password) {
    if (!passwords.matches(username, password)) {
      throw CallStatus.UNAUTHENTICATED
          .withDescription("wrong user name or password for this Tarn server")
          .toRuntimeException();
    }
    return () -> username;
  }
}
