package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code SHOW LOG [reference] [LIMIT n] [IN catalog]} (alias {@code SHOW LOGS}): commits, newest first.
 *
 * @param reference absent means the session's current reference
 */
public record ShowLog(Optional<String> reference, OptionalInt limit, Optional<String> catalog)
    implements ReferenceCommand {

  public ShowLog {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(catalog, "catalog");
  }

  public ShowLog(Optional<String> reference, OptionalInt limit) {
    this(reference, limit, Optional.empty());
  }

  @Override
  public String statementName() {
    return "SHOW LOG";
  }
}
