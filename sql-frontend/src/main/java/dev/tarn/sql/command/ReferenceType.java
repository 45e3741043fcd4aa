package dev.tarn.sql.command;

/** What kind of reference a statement names. */
public enum ReferenceType {
  /** A movable, writable branch. */
  BRANCH,
  /** A fixed, read-only tag. */
  TAG,
  /** Whatever the name resolves to (branch or tag): {@code USE REFERENCE x}, {@code FROM x}, {@code SHOW REFERENCES}. */
  ANY;

  /** The keyword users write for this type: BRANCH, TAG or REFERENCE. */
  public String keyword() {
    return this == ANY ? "REFERENCE" : name();
  }
}
