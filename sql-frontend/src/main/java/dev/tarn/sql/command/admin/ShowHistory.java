package dev.tarn.sql.command.admin;

import dev.tarn.sql.command.AdminCommand;
import java.util.Objects;
import java.util.OptionalInt;

/** {@code SHOW HISTORY [LIMIT n]} (also {@code SHOW QUERY HISTORY}): past statements, newest first. */
public record ShowHistory(OptionalInt limit) implements AdminCommand {
  public ShowHistory {
    Objects.requireNonNull(limit, "limit");
  }

  @Override
  public String statementName() {
    return "SHOW HISTORY";
  }

  @Override
  public String toSql() {
    return "SHOW HISTORY" + (limit.isPresent() ? " LIMIT " + limit.getAsInt() : "");
  }
}
