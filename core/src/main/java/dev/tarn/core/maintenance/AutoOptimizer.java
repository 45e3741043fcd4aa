package dev.tarn.core.maintenance;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.Reference;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.lakehouse.HiddenBranches;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.lakehouse.Transactions;
import dev.tarn.core.session.CurrentReference;
import dev.tarn.core.session.Session;
import dev.tarn.core.session.SessionStore;
import dev.tarn.core.statement.PreparedQuery;
import dev.tarn.core.statement.StatementService;
import dev.tarn.executor.ExecutionResult;
import dev.tarn.executor.RowStream;
import dev.tarn.executor.pipeline.PipelineRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background compaction policy ({@code --auto-optimize}): now and then, every branch users write
 * to is looked at, and each table holding many small files gets an {@code OPTIMIZE TABLE}, run
 * through the statement path like a client's, as the server's own user {@link
 * AccessControl#SYSTEM_USER} (so its commits name that author, and every run is audited).
 *
 * <p>It leaves alone tags, protected branches (they change only by merges), transaction and
 * pipeline-run branches, and branches kept by failed runs. It backs off when users write: a branch
 * whose head is younger than the quiet period is skipped this time, and so is the rest of a branch
 * that moved while it worked. A compaction that conflicts with a user's write commits nothing (the
 * user's commit wins) and is simply tried again at a later pass.
 */
public final class AutoOptimizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoOptimizer.class);

  /** What one pass did, for logs and tests. */
  public record Pass(List<String> optimized, List<String> failed, List<String> skippedBranches) {
    public Pass {
      optimized = List.copyOf(optimized);
      failed = List.copyOf(failed);
      skippedBranches = List.copyOf(skippedBranches);
    }
  }

  private final AutoOptimizePolicy policy;
  private final BranchCatalog catalog;
  private final AccessControl access;
  private final HiddenBranches hidden;
  private final SessionStore sessions;
  private final StatementService statements;
  private final BufferAllocator allocator;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  public AutoOptimizer(AutoOptimizePolicy policy, Lakehouse lakehouse, SessionStore sessions,
      StatementService statements, BufferAllocator allocator, Clock clock) {
    this.policy = policy;
    this.catalog = lakehouse.catalog();
    this.access = lakehouse.access();
    this.hidden = lakehouse.hiddenBranches();
    this.sessions = sessions;
    this.statements = statements;
    this.allocator = allocator;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tarn-auto-optimize");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the passes: the first after one interval, then one interval after each ends. */
  public AutoOptimizer start() {
    long millis = policy.interval().toMillis();
    timer.scheduleWithFixedDelay(this::passQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void passQuietly() {
    try {
      Pass pass = pass();
      if (!pass.optimized().isEmpty() || !pass.failed().isEmpty()) {
        LOG.info("auto-optimize: compacted {}; not this time: {}", pass.optimized(), pass.failed());
      }
    } catch (RuntimeException e) {
      // the next pass tries again; the server keeps serving
      LOG.warn("auto-optimize pass failed: {}", e.toString());
    }
  }

  /** One pass over every branch. */
  public Pass pass() {
    List<String> optimized = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Reference> references = catalog.listReferences();
    Set<String> kept = hidden.among(references);
    Instant quietSince = clock.instant().minus(policy.quietPeriod());
    for (Reference branch : references) {
      if (!branch.isBranch() || !eligible(branch.name(), kept)) {
        continue;
      }
      if (branch.committedAt() != null && branch.committedAt().isAfter(quietSince)) {
        skipped.add(branch.name());
        continue;
      }
      for (TableEntry table : catalog.listTables(At.commit(branch.hash()), null)) {
        if (smallFiles(branch, table) < policy.smallFiles()) {
          continue;
        }
        if (!catalog.getReference(branch.name()).hash().equals(branch.hash())
            && !lastAuthorIsSystem(branch.name())) {
          // a user wrote meanwhile: leave this branch for a quieter moment
          skipped.add(branch.name());
          break;
        }
        String name = branch.name() + "." + table.id();
        try {
          optimize(branch.name(), table);
          optimized.add(name);
        } catch (RuntimeException e) {
          failed.add(name + ": " + e.getMessage());
        }
      }
    }
    return new Pass(optimized, failed, skipped);
  }

  private boolean eligible(String branch, Set<String> kept) {
    return !Transactions.isTransactionBranch(branch) && !branch.startsWith(PipelineRunner.RUN_BRANCH_PREFIX)
        && !kept.contains(branch) && !access.isProtected(branch);
  }

  private boolean lastAuthorIsSystem(String branch) {
    return catalog.log(At.branch(branch), 1).stream()
        .allMatch(c -> AccessControl.SYSTEM_USER.equals(c.author()));
  }

  private int smallFiles(Reference branch, TableEntry entry) {
    Table table = catalog.loadTable(At.commit(branch.hash()), entry.id());
    if (table.currentSnapshot() == null) {
      return 0;
    }
    int small = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planWith(CallingThreadExecutor.INSTANCE)
        .planFiles()) {
      for (FileScanTask task : tasks) {
        if (task.file().fileSizeInBytes() < Lakehouse.SMALL_FILE_BYTES && task.deletes().isEmpty()) {
          small++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return small;
  }

  /** {@code OPTIMIZE TABLE "branch"."schema"."table"}, through the statement path, as the system user. */
  private void optimize(String branch, TableEntry table) {
    String sql = "OPTIMIZE TABLE " + quoted(branch) + "." + quoted(table.id().namespace()) + "."
        + quoted(table.id().name());
    try (Session session = sessions.oneShot(AccessControl.SYSTEM_USER, branch)) {
      session.use(CurrentReference.named(branch));
      PreparedQuery prepared = statements.prepare(session, sql);
      ExecutionResult result = statements.run(session, prepared, List.of(), allocator, execution -> { });
      if (result instanceof RowStream rows) {
        // the answer row is not needed: the commit and the audit record say what happened
        rows.close();
      }
    }
  }

  private static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
