package dev.tarn.catalog.nessie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.tarn.catalog.CommitRetryableException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry policies retry a moved branch, and only that, as often as the catalog promises. */
class ConflictRetriesTest {
  private static VersionedStore.Conflict moved() {
    return new VersionedStore.Conflict("the branch moved", List.of(), null);
  }

  @Test
  void aCommitIsTriedAHundredTimesWhileTheBranchKeepsMoving() {
    AtomicInteger attempts = new AtomicInteger();
    FailsafeException e = assertThrows(FailsafeException.class, () -> Failsafe.with(ConflictRetries.COMMITS).get(() -> {
      attempts.incrementAndGet();
      throw moved();
    }));
    assertEquals(100, attempts.get());
    CommitRetryableException thrown = ConflictRetries.gaveUp(e, "gave up");
    assertEquals("gave up", thrown.getMessage());
    assertTrue(thrown.getCause() instanceof VersionedStore.Conflict, String.valueOf(thrown.getCause()));
  }

  @Test
  void aReferenceChangeIsTriedElevenTimes() {
    AtomicInteger attempts = new AtomicInteger();
    assertThrows(FailsafeException.class, () -> Failsafe.with(ConflictRetries.REFERENCE_CHANGES).run(() -> {
      attempts.incrementAndGet();
      throw moved();
    }));
    assertEquals(11, attempts.get());
  }

  @Test
  void otherFailuresEndTheOperationAtOnceAsTheyWere() {
    AtomicInteger attempts = new AtomicInteger();
    IllegalStateException failure = new IllegalStateException("not a conflict");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> Failsafe.with(ConflictRetries.COMMITS).get(() -> {
          attempts.incrementAndGet();
          throw failure;
        }));
    assertSame(failure, thrown);
    assertEquals(1, attempts.get());
  }

  @Test
  void aConflictThatClearsLandsOnTheNextAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    String result = Failsafe.with(ConflictRetries.COMMITS).get(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw moved();
      }
      return "landed";
    });
    assertEquals("landed", result);
    assertEquals(3, attempts.get());
  }

  @Test
  void anInterruptedPauseEndsTheRetriesAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      FailsafeException e = assertThrows(FailsafeException.class, () -> Failsafe.with(ConflictRetries.COMMITS).get(() -> {
        throw moved();
      }));
      CommitRetryableException thrown = ConflictRetries.gaveUp(e, "gave up");
      assertEquals("interrupted while retrying a commit", thrown.getMessage());
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }
}
