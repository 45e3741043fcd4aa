package dev.tarn.sql.command.access;

/** {@code SHOW USERS}: names and roles. */
public record ShowUsers() implements AccessCommand {
  @Override
  public String statementName() {
    return "SHOW USERS";
  }
}
