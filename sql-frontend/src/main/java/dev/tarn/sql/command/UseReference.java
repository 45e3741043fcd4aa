package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code USE BRANCH name | USE TAG name | USE REFERENCE name [AT COMMIT 'hash' | AT TIMESTAMP '...']
 * [IN catalog]}: changes the session's current reference.
 */
public record UseReference(ReferenceSpec reference, Optional<String> catalog) implements ReferenceCommand {

  public UseReference {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(catalog, "catalog");
  }

  public UseReference(ReferenceSpec reference) {
    this(reference, Optional.empty());
  }

  @Override
  public String statementName() {
    return "USE " + reference.type().keyword();
  }
}
