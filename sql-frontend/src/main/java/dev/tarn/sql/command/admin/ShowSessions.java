package dev.tarn.sql.command.admin;

import dev.tarn.sql.command.AdminCommand;

/** {@code SHOW SESSIONS}: the sessions the server keeps. */
public record ShowSessions() implements AdminCommand {
  @Override
  public String statementName() {
    return "SHOW SESSIONS";
  }

  @Override
  public String toSql() {
    return "SHOW SESSIONS";
  }
}
