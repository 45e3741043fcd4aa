package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code SHOW BRANCHES | SHOW TAGS | SHOW REFERENCES | LIST REFERENCES [IN catalog]}.
 *
 * @param type BRANCH or TAG to list only those; absent (or {@link ReferenceType#ANY}) for all
 */
public record ShowReferences(Optional<ReferenceType> type, Optional<String> catalog) implements ReferenceCommand {

  public ShowReferences {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(catalog, "catalog");
    if (type.isPresent() && type.get() == ReferenceType.ANY) {
      type = Optional.empty();
    }
  }

  public ShowReferences(Optional<ReferenceType> type) {
    this(type, Optional.empty());
  }

  @Override
  public String statementName() {
    return type.map(t -> t == ReferenceType.BRANCH ? "SHOW BRANCHES" : "SHOW TAGS").orElse("SHOW REFERENCES");
  }
}
