package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code DROP USER [IF EXISTS] name}: the user, their grants and their tokens go. */
public record DropUser(String name, boolean ifExists) implements AccessCommand {
  public DropUser {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String statementName() {
    return "DROP USER";
  }

  @Override
  public String redacted() {
    return "DROP USER " + name;
  }
}
