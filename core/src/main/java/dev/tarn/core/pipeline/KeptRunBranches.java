package dev.tarn.core.pipeline;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.CommitInfo;
import dev.tarn.catalog.Reference;
import dev.tarn.core.lakehouse.HiddenBranches;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.RunRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The branches pipeline runs work on ({@code tarn_run_<id>}) that are still there: a failed or
 * cancelled run keeps its branch for inspection, a running one works on it. Catalog lists hide them
 * ({@link HiddenBranches}); a failed run's branch is dropped once it is older than the time to
 * keep it ({@code --failed-run-branch-ttl}), at start and then periodically.
 *
 * <p>A branch counts as a run's only when the run records say so and the branch is still the run's
 * own: named exactly after a recorded run that did not succeed, and pointing either at the commit
 * the run forked from or at a commit the run made. A user's branch that merely looks like one (a
 * similar name, or the same name re-created elsewhere after the run's branch was dropped) is
 * never hidden and never dropped.
 */
public final class KeptRunBranches implements HiddenBranches, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeptRunBranches.class);
  private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofHours(1);
  private static final Duration SHORTEST_SWEEP_INTERVAL = Duration.ofSeconds(1);

  private final BranchCatalog catalog;
  private final RunRecords records;
  private final Duration timeToKeep;
  private final Clock clock;
  private ScheduledExecutorService sweeper; // guarded by this

  /** @param timeToKeep how long after its run ended a failed run's branch is dropped */
  public KeptRunBranches(BranchCatalog catalog, RunRecords records, Duration timeToKeep, Clock clock) {
    this.catalog = catalog;
    this.records = records;
    this.timeToKeep = timeToKeep;
    this.clock = clock;
  }

  @Override
  public Set<String> among(List<Reference> references) {
    Map<String, RunRecord> runs = unsucceededRunsByBranch();
    Set<String> hidden = new HashSet<>();
    for (Reference reference : references) {
      RunRecord run = runs.get(reference.name());
      if (run != null && isTheRunsOwn(reference, run)) {
        hidden.add(reference.name());
      }
    }
    return hidden;
  }

  /** Drops the branches of failed and cancelled runs that ended longer ago than the time to keep them. */
  public List<String> sweep() {
    Instant cutoff = clock.instant().minus(timeToKeep);
    Map<String, RunRecord> runs = unsucceededRunsByBranch();
    List<String> dropped = new ArrayList<>();
    for (Reference reference : catalog.listBranches()) {
      RunRecord run = runs.get(reference.name());
      if (run == null || run.status() == RunRecord.Status.RUNNING || run.finishedAt() == null
          || !run.finishedAt().isBefore(cutoff) || !isTheRunsOwn(reference, run)) {
        continue;
      }
      try {
        catalog.dropBranch(reference.name());
        dropped.add(reference.name());
        LOG.info("dropped branch {} kept by {} pipeline run {}: it ended {} ago (--failed-run-branch-ttl {})",
            reference.name(), run.status().name().toLowerCase(java.util.Locale.ROOT), run.id(),
            shown(Duration.between(run.finishedAt(), clock.instant())), shown(timeToKeep));
      } catch (CatalogException e) {
        LOG.warn("could not drop the expired run branch {}: {}", reference.name(), e.getMessage());
      }
    }
    return dropped;
  }

  /** Sweeps now and then periodically (a tenth of the time to keep, between a second and an hour). */
  public synchronized void startSweeping() {
    if (sweeper != null) {
      return;
    }
    long interval = Math.max(SHORTEST_SWEEP_INTERVAL.toMillis(),
        Math.min(LONGEST_SWEEP_INTERVAL.toMillis(), timeToKeep.toMillis() / 10));
    sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "run-branch-sweeper");
      thread.setDaemon(true);
      return thread;
    });
    sweeper.scheduleWithFixedDelay(this::sweepLogged, 0, interval, TimeUnit.MILLISECONDS);
  }

  private void sweepLogged() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // the next sweep tries again; a failing sweep must not end the schedule
      LOG.warn("sweeping expired run branches failed: {}", e.toString());
    }
  }

  /**
   * Stops sweeping and waits for a sweep under way to end: the catalog closes next, and a sweep
   * still reading it then would read a closed store (the embedded catalog's RocksDB crashed the
   * process that way).
   */
  @Override
  public void close() {
    ScheduledExecutorService stopping;
    synchronized (this) {
      stopping = sweeper;
      sweeper = null;
    }
    if (stopping == null) {
      return;
    }
    stopping.shutdownNow();
    try {
      if (!stopping.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("a sweep of expired run branches was still running 30 s after the server began to close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code 8s}, {@code 168h}: a time for the log. */
  private static String shown(Duration d) {
    return d.withNanos(0).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  /** The recorded runs that did not succeed and had a branch, by that branch's name. */
  private Map<String, RunRecord> unsucceededRunsByBranch() {
    Map<String, RunRecord> byBranch = new HashMap<>();
    for (RunRecord run : records.list()) {
      if (run.status() != RunRecord.Status.SUCCEEDED && run.runBranch() != null
          && run.runBranch().equals(PipelineRunner.RUN_BRANCH_PREFIX + run.id())) {
        byBranch.put(run.runBranch(), run);
      }
    }
    return byBranch;
  }

  /** Whether the branch still is the run's: at the commit it forked from, or at one the run made. */
  private boolean isTheRunsOwn(Reference branch, RunRecord run) {
    if (!branch.isBranch()) {
      return false;
    }
    if (branch.hash().equals(run.targetHashBefore())) {
      return true;
    }
    try {
      List<CommitInfo> head = catalog.log(At.commit(branch.hash()), 1);
      return !head.isEmpty() && head.get(0).message() != null
          && head.get(0).message().startsWith("pipeline run " + run.id() + ": ");
    } catch (CatalogException e) {
      return false;
    }
  }
}
