package dev.tarn.catalog;

import java.time.Instant;
import java.util.Objects;

/**
 * A point in history as a user names it, before the catalog resolves it to one commit ({@link
 * ResolvedReference}): a branch or tag head, a commit hash (a unique prefix of 8 or more hex
 * characters is enough), a commit on a reference, or the state of a reference at a time.
 */
public sealed interface At {

  /** The head of a branch or a tag, whichever exists with that name. */
  static At reference(String name) {
    return new Named(name, null);
  }

  /** The head of a branch; fails if {@code name} is a tag. */
  static At branch(String name) {
    return new Named(name, ReferenceType.BRANCH);
  }

  /** The commit a tag points at; fails if {@code name} is a branch. */
  static At tag(String name) {
    return new Named(name, ReferenceType.TAG);
  }

  /** A commit by its hash or a unique prefix of at least 8 hex characters. */
  static At commit(String hashOrPrefix) {
    return new Commit(null, hashOrPrefix);
  }

  /** A commit seen from a reference ({@code USE REFERENCE r AT COMMIT 'h'}). */
  static At commit(String reference, String hashOrPrefix) {
    return new Commit(reference, hashOrPrefix);
  }

  /** The state of {@code reference} at {@code time}: its newest commit made at or before then. */
  static At timestamp(String reference, Instant time) {
    return new Timestamp(reference, time);
  }

  /** A branch or tag head; {@code type == null} accepts either. */
  record Named(String name, ReferenceType type) implements At {
    public Named {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A commit; {@code reference} is informational (may be null). */
  record Commit(String reference, String hash) implements At {
    public Commit {
      Objects.requireNonNull(hash, "hash");
    }
  }

  /** The newest commit of {@code reference} made at or before {@code time}. */
  record Timestamp(String reference, Instant time) implements At {
    public Timestamp {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(time, "time");
    }
  }
}
