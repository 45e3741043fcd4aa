package dev.tarn.catalog;

/**
 * How to merge.
 *
 * @param dryRun report what would happen, change nothing (conflicts are reported, not thrown)
 * @param message the merge commit's message; null for "Merge source into target"
 * @param author the merge commit's author
 * @param expectedTargetHash fail with {@link ReferenceConflictException} if the target is not at
 *     this commit; null to merge into whatever the head is
 * @param fastForward when the target has no commits of its own, move it to the source's head
 *     (bringing the source's commits along); false always makes one merge commit, so that all the
 *     source's changes land as a single commit on the target (a transaction's COMMIT)
 */
public record MergeOptions(
    boolean dryRun, String message, String author, String expectedTargetHash, boolean fastForward) {

  public MergeOptions(boolean dryRun, String message, String author, String expectedTargetHash) {
    this(dryRun, message, author, expectedTargetHash, true);
  }

  /** One merge commit with this message, never a fast-forward. */
  public static MergeOptions asOneCommit(String message, String author, String expectedTargetHash) {
    return new MergeOptions(false, message, author, expectedTargetHash, false);
  }

  public static MergeOptions of(String author) {
    return new MergeOptions(false, null, author, null);
  }

  public static MergeOptions dryRun(String author) {
    return new MergeOptions(true, null, author, null);
  }
}
