package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code ALTER USER name PASSWORD '...'}: an admin, or the user themself. */
public record AlterUserPassword(String name, String password) implements AccessCommand {
  public AlterUserPassword {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String statementName() {
    return "ALTER USER";
  }

  @Override
  public String redacted() {
    return "ALTER USER " + name + " PASSWORD '***'";
  }

  @Override
  public String toString() {
    return redacted();
  }
}
