package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code CREATE ROLE name}. */
public record CreateRole(String name) implements AccessCommand {
  public CreateRole {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String statementName() {
    return "CREATE ROLE";
  }

  @Override
  public String redacted() {
    return "CREATE ROLE " + name;
  }
}
