package dev.tarn.sql.command;

import java.util.Optional;

/**
 * The branch, tag and reference commands of sql.md ("Branch and tag commands").
 *
 * <p>Every one of them accepts a trailing {@code IN catalog} (Dremio's and Nessie's Spark
 * extensions' syntax); the executor ignores it when it names Tarn's own catalog and rejects it
 * otherwise.
 */
public sealed interface ReferenceCommand extends TarnCommand
    permits CreateReference, DropReference, UseReference, MergeBranch, AssignBranch,
        ShowReferences, ShowLog, ShowDiff, ShowViews {

  /** The catalog named by a trailing {@code IN catalog}, if any. */
  Optional<String> catalog();
}
