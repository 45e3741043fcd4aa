package dev.tarn.sql.command.access;

import java.util.Objects;

/**
 * {@code PROTECT BRANCH name} ({@code protect}) or {@code UNPROTECT BRANCH name}: a protected branch
 * takes no direct writes, only merges by holders of MERGE on it.
 */
public record ProtectBranch(String branch, boolean protect) implements AccessCommand {
  public ProtectBranch {
    Objects.requireNonNull(branch, "branch");
  }

  @Override
  public String statementName() {
    return protect ? "PROTECT BRANCH" : "UNPROTECT BRANCH";
  }

  @Override
  public String redacted() {
    return statementName() + " " + branch;
  }
}
