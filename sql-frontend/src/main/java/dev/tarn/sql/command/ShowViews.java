package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code SHOW VIEWS [reference] [IN catalog]}: the lakehouse views at a reference's head.
 *
 * @param reference absent means the session's current reference
 */
public record ShowViews(Optional<String> reference, Optional<String> catalog) implements ReferenceCommand {

  public ShowViews {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  public String statementName() {
    return "SHOW VIEWS";
  }
}
