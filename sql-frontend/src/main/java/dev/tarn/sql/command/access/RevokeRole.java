package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code REVOKE ROLE role FROM USER user}. */
public record RevokeRole(String role, String user) implements AccessCommand {
  public RevokeRole {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public String statementName() {
    return "REVOKE ROLE";
  }

  @Override
  public String redacted() {
    return "REVOKE ROLE " + role + " FROM USER " + user;
  }
}
