package dev.tarn.catalog;

import java.util.List;

/**
 * What a merge did (or, for a dry run or a conflict, would do).
 *
 * @param applied whether the target branch moved
 * @param fastForward whether the target was simply moved to the source's head
 * @param source the source reference's name
 * @param sourceHash the source commit that was merged
 * @param target the target branch
 * @param commonAncestor the newest commit both sides share
 * @param resultHash the target's head after the merge (unchanged when not applied)
 * @param conflicts one entry per conflicting table; empty when the merge can apply
 * @param tablesChanged tables the merge brings (or would bring) into the target, sorted
 * @param appendsUnioned the tables among {@code tablesChanged} that both sides only appended to:
 *     the target keeps its rows and gains the source's new data files; sorted
 */
public record MergeResult(
    boolean applied,
    boolean fastForward,
    String source,
    String sourceHash,
    String target,
    String commonAncestor,
    String resultHash,
    List<Conflict> conflicts,
    List<TableId> tablesChanged,
    List<TableId> appendsUnioned) {
  public MergeResult {
    conflicts = List.copyOf(conflicts);
    tablesChanged = List.copyOf(tablesChanged);
    appendsUnioned = List.copyOf(appendsUnioned);
  }

  /** A merge that unions no appends. */
  public MergeResult(boolean applied, boolean fastForward, String source, String sourceHash,
      String target, String commonAncestor, String resultHash, List<Conflict> conflicts,
      List<TableId> tablesChanged) {
    this(applied, fastForward, source, sourceHash, target, commonAncestor, resultHash, conflicts,
        tablesChanged, List.of());
  }

  public boolean hasConflicts() {
    return !conflicts.isEmpty();
  }
}
