package dev.tarn.core;

import dev.tarn.core.audit.AuditLog;
import dev.tarn.core.maintenance.AutoOptimizePolicy;
import dev.tarn.core.session.SessionLimits;
import dev.tarn.executor.EngineConfig;
import dev.tarn.sql.StatementLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the database needs, whichever front door serves it.
 *
 * @param engine the DuckDB engine's sizing, time limit and local warehouse folder
 * @param catalogUri a Nessie server's REST API v2 address, or empty for the embedded catalog
 * @param objectStorage a warehouse on object storage, or empty for the folder {@code engine.warehouse()};
 *     with it, {@code engine.warehouse()} holds the data file cache and DuckDB's spill files
 * @param projectsRoot the folder whose pipeline projects {@code RUN PIPELINE 'path'} may run
 * @param scanCacheBytes memory for pipeline scans' cached data file fragments; 0 turns the cache off
 * @param sessionLimits sessions kept in total and per user, and how long an idle one lasts
 * @param statementLimits the largest and deepest statement a client may send, and its parse time
 * @param auditRetentionDays how many days audit records are kept
 * @param bootstrapAdmin the user of the server's password ({@code --user}), the admin every other user's
 *     privileges come from; empty on an open server, whose one implicit caller may do everything
 * @param failedRunBranchTtl how long a branch a failed pipeline run kept for inspection stays; older
 *     ones are dropped at start and periodically
 * @param autoOptimize the background compaction policy ({@code --auto-optimize}); empty when off
 */
public record TarnConfig(
    EngineConfig engine,
    Optional<URI> catalogUri,
    Optional<ObjectStorage> objectStorage,
    Path projectsRoot,
    long scanCacheBytes,
    SessionLimits sessionLimits,
    StatementLimits statementLimits,
    int auditRetentionDays,
    Optional<String> bootstrapAdmin,
    Duration failedRunBranchTtl,
    Optional<AutoOptimizePolicy> autoOptimize) {

  /** How long a failed run's branch stays by default: a week. */
  public static final Duration DEFAULT_FAILED_RUN_BRANCH_TTL = Duration.ofDays(7);

  public TarnConfig {
    checkFailedRunBranchTtl(failedRunBranchTtl);
  }

  /** A positive time, or an error naming the option. */
  public static Duration checkFailedRunBranchTtl(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("--failed-run-branch-ttl must be a positive time (as in 7d, 12h, 30m),"
          + " not " + ttl);
    }
    return ttl;
  }

  /** The embedded default on a warehouse folder: embedded catalog, default limits, no scan cache. */
  public static TarnConfig local(Path warehouse) {
    EngineConfig engine = EngineConfig.defaults(warehouse);
    return new TarnConfig(engine, Optional.empty(), Optional.empty(), Path.of("").toAbsolutePath(), 0,
        SessionLimits.defaults(), new StatementLimits(StatementLimits.DEFAULT_MAX_STATEMENT_BYTES,
            StatementLimits.DEFAULT_MAX_NESTING_DEPTH, engine.queryTimeout()), AuditLog.DEFAULT_RETENTION_DAYS,
        Optional.empty(), DEFAULT_FAILED_RUN_BRANCH_TTL, Optional.empty());
  }

  /**
   * The folder on this machine for the server's own state (audit records; users, grants, tokens and
   * protected branches): the warehouse folder, or
   * for a warehouse on object storage the catalog directory. Never one SQL may read.
   */
  public Path stateFolder() {
    return objectStorage.map(ObjectStorage::catalogDir).orElse(engine.warehouse());
  }

  /** The warehouse as users name it: the object store's address, or the local folder. */
  public String warehouseLocation() {
    return objectStorage.map(ObjectStorage::warehouse).orElse(engine.warehouse().toString());
  }
}
