package dev.tarn.sql.command.admin;

import dev.tarn.sql.command.AdminCommand;
import java.util.Objects;
import java.util.OptionalInt;

/** {@code SHOW AUDIT [LIMIT n]}: audit records, newest first. */
public record ShowAudit(OptionalInt limit) implements AdminCommand {
  public ShowAudit {
    Objects.requireNonNull(limit, "limit");
  }

  @Override
  public String statementName() {
    return "SHOW AUDIT";
  }

  @Override
  public String toSql() {
    return "SHOW AUDIT" + (limit.isPresent() ? " LIMIT " + limit.getAsInt() : "");
  }
}
