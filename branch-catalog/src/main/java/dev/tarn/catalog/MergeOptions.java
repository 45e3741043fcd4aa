package dev.tarn.catalog;

/**
 * How to merge.
 *
 * @param dryRun report what would happen, change nothing (conflicts are reported, not thrown)
 * @param message the merge commit's message; null for "Merge source into target"
 * @param author the merge commit's author
 * @param expectedTargetHash fail with {@link ReferenceConflictException} if the target is not at
 *     this commit; null to merge into whatever the head is
 */
public record MergeOptions(
    boolean dryRun, String message, String author, String expectedTargetHash) {

  public static MergeOptions of(String author) {
    return new MergeOptions(false, null, author, null);
  }

  public static MergeOptions dryRun(String author) {
    return new MergeOptions(true, null, author, null);
  }
}
