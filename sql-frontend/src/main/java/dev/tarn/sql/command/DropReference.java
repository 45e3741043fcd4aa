package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/** {@code DROP BRANCH|TAG [IF EXISTS] name [IN catalog]}. */
public record DropReference(ReferenceType type, String name, boolean ifExists, Optional<String> catalog)
    implements ReferenceCommand {

  public DropReference {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(catalog, "catalog");
    if (type == ReferenceType.ANY) {
      throw new IllegalArgumentException("DROP needs BRANCH or TAG");
    }
  }

  public DropReference(ReferenceType type, String name, boolean ifExists) {
    this(type, name, ifExists, Optional.empty());
  }

  @Override
  public String statementName() {
    return "DROP " + type.keyword();
  }
}
