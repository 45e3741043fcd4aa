package dev.tarn.core.lakehouse;

import dev.tarn.catalog.Reference;
import java.util.List;
import java.util.Set;

/**
 * Branches the server keeps for itself that catalog lists leave out unless asked for them (SHOW
 * BRANCHES ALL): they stay reachable by name (AT BRANCH, USE BRANCH) like any other branch.
 */
@FunctionalInterface
public interface HiddenBranches {
  HiddenBranches NONE = references -> Set.of();

  /** The names among {@code references} that lists leave out now. */
  Set<String> among(List<Reference> references);
}
