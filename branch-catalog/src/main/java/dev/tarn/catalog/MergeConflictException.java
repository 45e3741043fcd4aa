package dev.tarn.catalog;

import java.util.stream.Collectors;

/**
 * A merge found tables changed on both sides since the common ancestor. Nothing was changed. The
 * whole {@link MergeResult} is attached; the message names every conflicting table.
 */
public class MergeConflictException extends ReferenceConflictException {
  private static final long serialVersionUID = 1L;
  private final transient MergeResult result;

  public MergeConflictException(MergeResult result) {
    super(result.target(), null, result.resultHash(), message(result));
    this.result = result;
  }

  private static String message(MergeResult r) {
    String tables =
        r.conflicts().stream().map(Conflict::table).sorted().collect(Collectors.joining(", "));
    return "cannot merge "
        + r.source()
        + " into "
        + r.target()
        + ": "
        + (r.conflicts().size() == 1 ? "table " : "tables ")
        + tables
        + (r.conflicts().size() == 1 ? " was" : " were")
        + " changed on both branches since their common ancestor "
        + abbrev(r.commonAncestor())
        + "; nothing was changed ("
        + r.conflicts().stream().map(Conflict::message).collect(Collectors.joining("; "))
        + "). Bring "
        + r.target()
        + " into "
        + r.source()
        + " and reconcile those tables there, or reset one side with ALTER BRANCH ... ASSIGN";
  }

  public MergeResult result() {
    return result;
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
