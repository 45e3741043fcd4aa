package dev.tarn.sql.command.access;

/** {@code SHOW TOKENS}: names, owners and expiry, never secrets. */
public record ShowTokens() implements AccessCommand {
  @Override
  public String statementName() {
    return "SHOW TOKENS";
  }
}
