package dev.tarn.sql.command.access;

import java.util.Objects;
import java.util.Optional;

/** {@code CREATE USER name PASSWORD '...' [IN ROLE role]}. */
public record CreateUser(String name, String password, Optional<String> role) implements AccessCommand {
  public CreateUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(role, "role");
  }

  @Override
  public String statementName() {
    return "CREATE USER";
  }

  @Override
  public String redacted() {
    return "CREATE USER " + name + " PASSWORD '***'" + role.map(r -> " IN ROLE " + r).orElse("");
  }

  @Override
  public String toString() {
    return redacted();
  }
}
