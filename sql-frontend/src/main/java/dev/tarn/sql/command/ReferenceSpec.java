package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * A point in the catalog's history as a statement names it: a reference, optionally pinned to one
 * of its commits or to a moment in time.
 *
 * <ul>
 *   <li>{@code main} is {@code (main, ANY, -, -)}; {@code BRANCH dev} is {@code (dev, BRANCH, -, -)}.
 *   <li>{@code dev AT COMMIT 'a1b2'} (or Nessie's {@code dev AT 'a1b2'}) is {@code (dev, ANY, a1b2, -)}.
 *   <li>{@code REFERENCE dev AT TIMESTAMP '2026-11-20 10:00:00'} is {@code (dev, ANY, -, 2026-11-20 10:00:00)}.
 *   <li>On a table, {@code t AT COMMIT 'a1b2'}, {@code t AT TIMESTAMP '...'} and
 *       {@code t FOR SYSTEM_TIME AS OF TIMESTAMP '...'} name no reference: {@link #name()} is
 *       {@link #CURRENT} (the empty string), meaning the session's current reference.
 * </ul>
 *
 * <p>Names are kept exactly as written: quoted names as quoted ({@code "feature/x"}), unquoted names
 * with the case the user typed (Nessie references are case-sensitive; Tarn never upper-cases them).
 * Hashes and timestamps are the string literals' contents, unvalidated (the catalog resolves them).
 *
 * @param name the reference's name, or {@link #CURRENT} for the session's current reference
 * @param type the kind of reference the statement asked for
 * @param commitHash a commit hash or unique prefix, when pinned to a commit
 * @param timestamp a timestamp literal's text, when pinned to a moment in time
 */
public record ReferenceSpec(
    String name, ReferenceType type, Optional<String> commitHash, Optional<String> timestamp) {

  /** The name standing for the session's current reference (table time travel without a reference). */
  public static final String CURRENT = "";

  public ReferenceSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(commitHash, "commitHash");
    Objects.requireNonNull(timestamp, "timestamp");
    if (commitHash.isPresent() && timestamp.isPresent()) {
      throw new IllegalArgumentException("a reference is pinned to a commit or to a timestamp, not both");
    }
  }

  /** The head of a reference: {@code dev}, {@code BRANCH dev}, {@code TAG v1}. */
  public static ReferenceSpec of(String name, ReferenceType type) {
    return new ReferenceSpec(name, type, Optional.empty(), Optional.empty());
  }

  /** A commit of a reference, or of the current reference when {@code name} is {@link #CURRENT}. */
  public static ReferenceSpec atCommit(String name, ReferenceType type, String hash) {
    return new ReferenceSpec(name, type, Optional.of(hash), Optional.empty());
  }

  /** A reference as of a moment, or the current reference when {@code name} is {@link #CURRENT}. */
  public static ReferenceSpec atTimestamp(String name, ReferenceType type, String timestamp) {
    return new ReferenceSpec(name, type, Optional.empty(), Optional.of(timestamp));
  }

  /** False for table time travel that names no reference ({@code t AT COMMIT '...'}). */
  public boolean hasName() {
    return !name.isEmpty();
  }

  /** The reference's name when it has one. */
  public Optional<String> explicitName() {
    return hasName() ? Optional.of(name) : Optional.empty();
  }
}
