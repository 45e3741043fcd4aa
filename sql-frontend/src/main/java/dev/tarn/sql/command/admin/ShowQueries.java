package dev.tarn.sql.command.admin;

import dev.tarn.sql.command.AdminCommand;

/** {@code SHOW QUERIES}: the statements running now. */
public record ShowQueries() implements AdminCommand {
  @Override
  public String statementName() {
    return "SHOW QUERIES";
  }

  @Override
  public String toSql() {
    return "SHOW QUERIES";
  }
}
