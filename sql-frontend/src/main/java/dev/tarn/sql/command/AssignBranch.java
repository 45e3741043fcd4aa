package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code ALTER BRANCH name ASSIGN TO reference [AT COMMIT 'hash'] [IN catalog]}, also Nessie's
 * {@code ASSIGN BRANCH name TO reference [AT 'hash']}: points a branch elsewhere (rollback,
 * fast-forward).
 */
public record AssignBranch(String branch, ReferenceSpec to, Optional<String> catalog) implements ReferenceCommand {

  public AssignBranch {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(catalog, "catalog");
  }

  public AssignBranch(String branch, ReferenceSpec to) {
    this(branch, to, Optional.empty());
  }

  @Override
  public String statementName() {
    return "ALTER BRANCH";
  }
}
