package dev.tarn.catalog;

import java.util.List;

/** A commit hash prefix matches more than one commit. */
public class AmbiguousCommitHashException extends CatalogException {
  private static final long serialVersionUID = 1L;
  private final List<String> candidates;

  public AmbiguousCommitHashException(String prefix, List<String> candidates) {
    super(
        "commit hash prefix '"
            + prefix
            + "' matches "
            + candidates.size()
            + " commits ("
            + String.join(", ", candidates.stream().limit(5).toList())
            + (candidates.size() > 5 ? ", ..." : "")
            + "); give more characters of the hash");
    this.candidates = List.copyOf(candidates);
  }

  public List<String> candidates() {
    return candidates;
  }
}
