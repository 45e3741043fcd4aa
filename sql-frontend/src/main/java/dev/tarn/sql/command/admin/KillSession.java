package dev.tarn.sql.command.admin;

import dev.tarn.sql.command.AdminCommand;
import java.util.Objects;

/**
 * {@code KILL SESSION 'id'}: cancels the session's running statements, rolls back its open
 * transaction and ends it ({@code SHOW SESSIONS} lists the ids).
 */
public record KillSession(String sessionId) implements AdminCommand {
  public KillSession {
    Objects.requireNonNull(sessionId, "sessionId");
  }

  @Override
  public String statementName() {
    return "KILL SESSION";
  }

  @Override
  public String toSql() {
    return "KILL SESSION '" + sessionId.replace("'", "''") + "'";
  }
}
