package dev.tarn.sql.command.admin;

import dev.tarn.sql.command.AdminCommand;
import java.util.Objects;

/** {@code KILL QUERY 'id'}: cancels a running statement ({@code SHOW QUERIES} lists the ids). */
public record KillQuery(String queryId) implements AdminCommand {
  public KillQuery {
    Objects.requireNonNull(queryId, "queryId");
  }

  @Override
  public String statementName() {
    return "KILL QUERY";
  }

  @Override
  public String toSql() {
    return "KILL QUERY '" + queryId.replace("'", "''") + "'";
  }
}
