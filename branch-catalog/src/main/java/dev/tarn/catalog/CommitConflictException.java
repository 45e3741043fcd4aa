package dev.tarn.catalog;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A change truly conflicts with a commit another session made meanwhile (for example both
 * rewrote the same table, or one dropped a table the other changed). Nothing was committed.
 * Retrying the same change will fail again: re-read the tables and redo the statement.
 */
public class CommitConflictException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final String branch;
  private final List<Conflict> conflicts;

  public CommitConflictException(String branch, List<Conflict> conflicts) {
    super(
        "commit to branch "
            + branch
            + " failed, nothing was committed: "
            + conflicts.stream().map(Conflict::message).collect(Collectors.joining("; "))
            + "; re-run the statement on the new state of the branch");
    this.branch = branch;
    this.conflicts = List.copyOf(conflicts);
  }

  public String branch() {
    return branch;
  }

  public List<Conflict> conflicts() {
    return conflicts;
  }
}
