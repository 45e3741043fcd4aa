package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code GRANT ROLE role TO USER user}. */
public record GrantRole(String role, String user) implements AccessCommand {
  public GrantRole {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public String statementName() {
    return "GRANT ROLE";
  }

  @Override
  public String redacted() {
    return "GRANT ROLE " + role + " TO USER " + user;
  }
}
