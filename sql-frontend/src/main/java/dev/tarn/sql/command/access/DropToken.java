package dev.tarn.sql.command.access;

import java.util.Objects;

/** {@code DROP TOKEN [IF EXISTS] name}: the token stops working at its next call. */
public record DropToken(String name, boolean ifExists) implements AccessCommand {
  public DropToken {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String statementName() {
    return "DROP TOKEN";
  }

  @Override
  public String redacted() {
    return "DROP TOKEN " + name;
  }
}
