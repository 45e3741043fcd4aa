package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code SHOW BRANCHES [ALL] | SHOW TAGS | SHOW REFERENCES [ALL] | LIST REFERENCES [IN catalog]}.
 *
 * @param type BRANCH or TAG to list only those; absent (or {@link ReferenceType#ANY}) for all
 * @param all whether to list the branches failed pipeline runs kept too, which are hidden otherwise
 */
public record ShowReferences(Optional<ReferenceType> type, Optional<String> catalog, boolean all)
    implements ReferenceCommand {

  public ShowReferences {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(catalog, "catalog");
    if (type.isPresent() && type.get() == ReferenceType.ANY) {
      type = Optional.empty();
    }
  }

  public ShowReferences(Optional<ReferenceType> type, Optional<String> catalog) {
    this(type, catalog, false);
  }

  public ShowReferences(Optional<ReferenceType> type) {
    this(type, Optional.empty());
  }

  @Override
  public String statementName() {
    return type.map(t -> t == ReferenceType.BRANCH ? "SHOW BRANCHES" : "SHOW TAGS").orElse("SHOW REFERENCES")
        + (all ? " ALL" : "");
  }
}
