package dev.tarn.core.auth;

import dev.tarn.core.access.AccessControl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Checks a user name and password, for every front door that takes them: the admin the server was
 * started with (its password compared in constant time), or a user made by CREATE USER (against
 * their BCrypt hash). The bootstrap admin's name never falls through to the users' table.
 */
public final class PasswordCheck {
  private final String adminUser;
  private final String adminPassword;
  private final AccessControl users;

  public PasswordCheck(String adminUser, String adminPassword, AccessControl users) {
    this.adminUser = Objects.requireNonNull(adminUser, "adminUser");
    this.adminPassword = Objects.requireNonNull(adminPassword, "adminPassword");
    this.users = Objects.requireNonNull(users, "users");
  }

  /** Whether {@code password} is the password of {@code user}. */
  public boolean matches(String user, String password) {
    boolean userOk = constantTimeEquals(adminUser, user);
    boolean passwordOk = constantTimeEquals(adminPassword, password);
    if (userOk) {
      return passwordOk;
    }
    return users.checkPassword(user, password);
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), (b == null ? "" : b).getBytes(StandardCharsets.UTF_8));
  }
}
