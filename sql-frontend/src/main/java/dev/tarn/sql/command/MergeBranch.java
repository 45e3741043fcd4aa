package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code MERGE BRANCH [DRY RUN] source [INTO target] [IN catalog]}.
 *
 * @param target absent means the session's current branch
 * @param dryRun report what would be merged, change nothing
 */
public record MergeBranch(String source, Optional<String> target, boolean dryRun, Optional<String> catalog)
    implements ReferenceCommand {

  public MergeBranch {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(catalog, "catalog");
  }

  public MergeBranch(String source, Optional<String> target, boolean dryRun) {
    this(source, target, dryRun, Optional.empty());
  }

  @Override
  public String statementName() {
    return "MERGE BRANCH";
  }
}
