package dev.tarn.catalog;

/** What a name in the catalog points at: a movable, writable branch or a fixed, read-only tag. */
public enum ReferenceType {
  BRANCH,
  TAG;

  /** The word users see: {@code branch} or {@code tag}. */
  public String word() {
    return this == BRANCH ? "branch" : "tag";
  }
}
