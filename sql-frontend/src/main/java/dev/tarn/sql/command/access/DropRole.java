package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code DROP ROLE [IF EXISTS] name}: its grants go, and its members leave it. */
public record DropRole(String name, boolean ifExists) implements AccessCommand {
  public DropRole {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String statementName() {
    return "DROP ROLE";
  }

  @Override
  public String redacted() {
    return "DROP ROLE " + name;
  }
}
