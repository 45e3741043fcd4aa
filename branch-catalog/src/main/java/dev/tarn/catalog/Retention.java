package dev.tarn.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which commits keep their files when files nothing refers to are removed ({@link
 * BranchCatalog#removeUnreferencedFiles}).
 *
 * <p>Every reference's head is always kept, and so are the {@code retainLast} newest commits of its
 * history and every commit of it made at or after {@code expireBefore}; with no {@code
 * expireBefore}, every commit reachable from any reference is kept. A file younger than {@code
 * grace} is never removed, so a write whose commit has not landed yet keeps its files.
 *
 * @param expireBefore commits older than this lose their files (empty: none does)
 * @param retainLast the newest commits of each reference kept whatever their age (at least 1)
 * @param grace files written more recently than this stay
 */
public record Retention(Optional<Instant> expireBefore, int retainLast, Duration grace) {
  /** How long a file stays after it was written, whatever refers to it: longer than any statement runs. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  public Retention {
    Objects.requireNonNull(expireBefore, "expireBefore");
    Objects.requireNonNull(grace, "grace");
    if (retainLast < 1) {
      throw new IllegalArgumentException("RETAIN LAST must keep at least 1 commit of each reference, not "
          + retainLast);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the grace period cannot be negative: " + grace);
    }
  }

  /** Keep every commit of every reference: remove only files no commit refers to (VACUUM). */
  public static Retention everyCommit() {
    return new Retention(Optional.empty(), 1, DEFAULT_GRACE);
  }
}
