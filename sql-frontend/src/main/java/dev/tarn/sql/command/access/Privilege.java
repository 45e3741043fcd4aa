package dev.tarn.sql.command.access;

/**
 * What a grant allows on the references matching its pattern. Only {@link #ADMIN} implies the
 * others; a writer usually needs {@link #READ} too, since a write reads the branch it changes.
 */
public enum Privilege {
  /** Read the reference: queries, SHOW LOG, USE, time travel, metadata listings. */
  READ,
  /** DDL, DML and bulk ingest on the branch, and transactions committing into it. */
  WRITE,
  /** Create and drop branches and tags whose names match (creating also needs READ on the source). */
  BRANCH,
  /** Merge into the branch (also needs READ on the source); the only way into a protected branch. */
  MERGE,
  /** Run pipelines (which runs code) targeting the branch; needs WRITE on it too. */
  RUN,
  /** Everything, on every reference, including users, roles, grants, tokens and protection. */
  ADMIN
}
