package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code SHOW DIFF source [AGAINST target] [IN catalog]}: tables changed between two references.
 *
 * @param against absent means the session's current reference
 */
public record ShowDiff(String source, Optional<String> against, Optional<String> catalog)
    implements ReferenceCommand {

  public ShowDiff {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(against, "against");
    Objects.requireNonNull(catalog, "catalog");
  }

  public ShowDiff(String source, Optional<String> against) {
    this(source, against, Optional.empty());
  }

  @Override
  public String statementName() {
    return "SHOW DIFF";
  }
}
