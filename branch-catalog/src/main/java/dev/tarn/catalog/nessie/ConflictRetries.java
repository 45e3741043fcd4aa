package dev.tarn.catalog.nessie;

import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.tarn.catalog.CommitRetryableException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How {@link NessieBranchCatalog} tries again when a branch moved under it (the store answered
 * {@link VersionedStore.Conflict}): Failsafe retry policies that retry that conflict and nothing
 * else. Every other failure ends the operation at once, as the operation threw it.
 */
final class ConflictRetries {
  /** Attempts at one commit while other commits keep landing on the branch first. */
  static final int MAX_COMMIT_ATTEMPTS = 100;
  /** Attempts at dropping or assigning a reference that keeps moving. */
  static final int MAX_REFERENCE_ATTEMPTS = 11;
  /** The longest pause between two commit attempts, in milliseconds. */
  private static final long MAX_COMMIT_PAUSE_MILLIS = 50;

  /**
   * Commits: after the n-th failed attempt, a pause drawn uniformly from 0 to {@code min(50, 1 +
   * 2n)} milliseconds, so writers that collided spread out and a long queue of them waits longer.
   */
  static final RetryPolicy<Object> COMMITS = RetryPolicy.builder()
      .handle(VersionedStore.Conflict.class)
      .withMaxAttempts(MAX_COMMIT_ATTEMPTS)
      .withDelayFn(attempts -> Duration.ofMillis(ThreadLocalRandom.current().nextLong(
          Math.min(MAX_COMMIT_PAUSE_MILLIS, 1L + 2L * attempts.getAttemptCount()) + 1)))
      .build();

  /** Dropping and assigning references: read the reference again and retry at once. */
  static final RetryPolicy<Object> REFERENCE_CHANGES = RetryPolicy.builder()
      .handle(VersionedStore.Conflict.class)
      .withMaxAttempts(MAX_REFERENCE_ATTEMPTS)
      .build();

  private ConflictRetries() {}

  /**
   * What to throw when Failsafe gave up: {@code whenExhausted} after the last conflict, or an
   * interruption of the pause between attempts (the thread keeps its interrupt flag).
   */
  static CommitRetryableException gaveUp(FailsafeException e, String whenExhausted) {
    if (e.getCause() instanceof InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return new CommitRetryableException("interrupted while retrying a commit", interrupted);
    }
    return new CommitRetryableException(whenExhausted, e.getCause());
  }
}
