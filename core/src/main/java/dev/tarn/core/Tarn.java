package dev.tarn.core;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.catalog.remote.NessieServerBranchCatalog;
import dev.tarn.catalog.storage.S3Storage;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.access.AccessStore;
import dev.tarn.core.audit.Administration;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.core.maintenance.AutoOptimizer;
import dev.tarn.core.metrics.TarnMetrics;
import dev.tarn.core.pipeline.PipelineSql;
import dev.tarn.core.pipeline.KeptRunBranches;
import dev.tarn.core.pipeline.Pipelines;
import java.time.Clock;
import dev.tarn.core.session.SessionStore;
import dev.tarn.core.review.MergeRequestCommands;
import dev.tarn.core.review.MergeRequests;
import dev.tarn.core.statement.CancellationScope;
import dev.tarn.core.statement.StatementService;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.lakehouse.CachedDataFiles;
import dev.tarn.executor.lakehouse.DataFileStore;
import dev.tarn.executor.lakehouse.WarehouseFolderFiles;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunRecords;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonModelRunner;
import dev.tarn.sql.CachingSqlFrontend;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.TarnSqlFrontend;
import java.nio.file.Path;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind every front door: the engine, the branch catalog, the lakehouse over both,
 * sessions, pipelines and measurements, opened together from a {@link TarnConfig} and closed
 * together. A front door (Flight SQL today) adds only its transport and calls {@link #statements}.
 */
public final class Tarn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tarn.class);
  /** Under the engine's folder, the local copies of an object-store warehouse's data files. */
  public static final String CACHE_DIRECTORY = "cache";
  /** Under the cache folder, links to data files other engines wrote elsewhere in a warehouse folder. */
  public static final String LINKS_DIRECTORY = "linked";
  /** Under the state folder, the users, roles, grants, tokens and protected branches. */
  public static final String ACCESS_DIRECTORY = "access";
  /** Under the warehouse folder, the records of pipeline runs and the projects clients sent. */
  private static final String RUNS_DIRECTORY = "runs";
  private static final String UPLOADS_DIRECTORY = "uploads";
  /** Models of one run that may execute at once (the machines Tarn targets have 2 cores). */
  private static final int PIPELINE_PARALLELISM = 2;

  private final TarnConfig config;
  private final DuckDbEngine engine;
  private final CachedDataFiles cache;
  private final SqlFrontend frontend;
  private final TarnMetrics metrics;
  private final Lakehouse lakehouse;
  private final SessionStore sessions;
  private final Pipelines pipelines;
  private final Administration administration;
  private final MergeRequests mergeRequests;
  /** The background compaction, when --auto-optimize asked for it. */
  private AutoOptimizer autoOptimizer;

  private Tarn(TarnConfig config, DuckDbEngine engine, CachedDataFiles cache, SqlFrontend frontend,
      TarnMetrics metrics, Lakehouse lakehouse, SessionStore sessions, Pipelines pipelines,
      Administration administration, MergeRequests mergeRequests) {
    this.administration = administration;
    this.mergeRequests = mergeRequests;
    this.config = config;
    this.engine = engine;
    this.cache = cache;
    this.frontend = frontend;
    this.metrics = metrics;
    this.lakehouse = lakehouse;
    this.sessions = sessions;
    this.pipelines = pipelines;
  }

  /**
   * Opens the database. Object storage is checked first, so a wrong endpoint, credentials or
   * bucket fails before anything starts; on any failure what was opened is closed again.
   *
   * @param allocator Arrow memory for pipeline runs; the caller closes it after this database
   */
  public static Tarn open(TarnConfig config, BufferAllocator allocator) {
    FileIO objectIo = config.objectStorage().map(o -> S3Storage.open(o.warehouse(), o.s3())).orElse(null);
    DuckDbEngine engine;
    try {
      engine = DuckDbEngine.open(config.engine());
    } catch (RuntimeException e) {
      closeQuietly(objectIo);
      throw e;
    }
    BranchCatalog catalog;
    CachedDataFiles cache = null;
    try {
      catalog = openCatalog(config, objectIo);
      if (objectIo != null) {
        // DuckDB reads and writes local copies of the data files: the cache lives in its only allowed directory
        cache = new CachedDataFiles(objectIo, config.engine().warehouse().resolve(CACHE_DIRECTORY),
            config.objectStorage().orElseThrow().warehouse());
      }
    } catch (RuntimeException e) {
      closeQuietly(objectIo);
      engine.close();
      throw e;
    }
    TarnMetrics metrics = new TarnMetrics();
    SqlFrontend frontend = new CachingSqlFrontend(new TarnSqlFrontend(config.statementLimits()));
    RunRecords runs = new RunRecords(config.engine().warehouse().resolve(RUNS_DIRECTORY));
    KeptRunBranches runBranches = new KeptRunBranches(catalog, runs, config.failedRunBranchTtl(), Clock.systemUTC());
    Lakehouse lakehouse = new Lakehouse(catalog, engine, frontend, metrics::scanned,
        cache == null ? warehouseFolderFiles(config) : cache, accessControl(config), runBranches);
    // A session that goes away with a transaction open leaves nothing behind.
    SessionStore sessions = new SessionStore(engine, config.sessionLimits(), lakehouse.transactions()::abandon);
    metrics.gauge("tarn.sessions.active", "Open client sessions", sessions::size);
    metrics.gauge("tarn.statements.running", "Statements running in the engine", engine::runningExecutions);
    ScanCache scanCache = config.scanCacheBytes() > 0 ? new ScanCache(engine, config.scanCacheBytes()) : ScanCache.off();
    Pipelines pipelines = pipelines(config, catalog, engine, lakehouse, frontend, allocator, scanCache, runs,
        runBranches);
    Administration administration;
    try {
      administration = Administration.open(config.stateFolder(), config.auditRetentionDays(), sessions,
          session -> lakehouse.access().isAdmin(session.user()));
    } catch (RuntimeException e) {
      new Tarn(config, engine, cache, frontend, metrics, lakehouse, sessions, pipelines, null, null).close();
      throw new IllegalStateException("cannot keep audit records under "
          + config.stateFolder().resolve(Administration.AUDIT_FOLDER) + ": " + e.getMessage(), e);
    }
    MergeRequests mergeRequests;
    try {
      // kept with the users and grants: per server, in a folder no SQL reaches
      mergeRequests = MergeRequests.in(config.stateFolder().resolve(ACCESS_DIRECTORY), catalog, lakehouse.access(),
          lakehouse.hiddenBranches(), pipelines);
    } catch (RuntimeException e) {
      new Tarn(config, engine, cache, frontend, metrics, lakehouse, sessions, pipelines, administration, null).close();
      throw e;
    }
    Tarn tarn = new Tarn(config, engine, cache, frontend, metrics, lakehouse, sessions, pipelines, administration,
        mergeRequests);
    config.autoOptimize().ifPresent(policy -> tarn.autoOptimizer = new AutoOptimizer(policy, lakehouse, sessions,
        tarn.statements(CancellationScope.NONE), allocator, Clock.systemUTC()).start());
    return tarn;
  }

  /**
   * Pipeline runs: recorded under {@code <warehouse>/runs}, sent projects unpacked under {@code
   * <warehouse>/uploads} (neither readable from SQL). uv and Python are looked for at the first
   * run, so that a machine without them still serves SQL.
   */
  private static Pipelines pipelines(TarnConfig config, BranchCatalog catalog, DuckDbEngine engine,
      Lakehouse lakehouse, SqlFrontend frontend, BufferAllocator allocator, ScanCache scanCache, RunRecords runs,
      KeptRunBranches runBranches) {
    Path local = config.engine().warehouse();
    // failed runs' branches older than --failed-run-branch-ttl go now and then periodically
    runBranches.startSweeping();
    // one runner for every run: its warm Python workers serve the next run too
    PythonModelRunner python = new PythonModelRunner(allocator);
    AutoCloseable shared = () -> {
      runBranches.close();
      scanCache.close();
      python.close();
    };
    return new Pipelines(() -> new PipelineRunner(catalog, engine, lakehouse.views(),
            Environments.locate(Environments.defaultCacheDir()), python, null,
            new PipelineSql(frontend), PIPELINE_PARALLELISM, scanCache),
        runs, config.projectsRoot(), local.resolve(UPLOADS_DIRECTORY), shared, lakehouse.access());
  }

  /**
   * With a password, the user it names is the bootstrap admin and everyone else needs grants; without,
   * the one implicit admin may do everything. Kept in the state folder, outside what SQL can read.
   */
  private static AccessControl accessControl(TarnConfig config) {
    AccessStore store = AccessStore.in(config.stateFolder().resolve(ACCESS_DIRECTORY));
    return config.bootstrapAdmin().map(admin -> AccessControl.enforcing(admin, store))
        .orElseGet(() -> AccessControl.open(store));
  }

  /**
   * A warehouse folder's data files: Tarn's tables in place, other engines' files anywhere else in
   * the warehouse through links, never the server's own folders.
   */
  private static DataFileStore warehouseFolderFiles(TarnConfig config) {
    Path warehouse = config.engine().warehouse();
    return new WarehouseFolderFiles(warehouse, warehouse.resolve(BranchCatalog.LOCAL_TABLES_FOLDER),
        warehouse.resolve(CACHE_DIRECTORY).resolve(LINKS_DIRECTORY),
        Set.of("catalog", "engine", CACHE_DIRECTORY, RUNS_DIRECTORY, UPLOADS_DIRECTORY, ACCESS_DIRECTORY,
            Administration.AUDIT_FOLDER));
  }

  /**
   * The embedded catalog (RocksDB under the warehouse folder, or under the catalog directory for
   * object storage) or a Nessie server; tables' files under the warehouse, through {@code objectIo}
   * when it is on object storage (the catalog then owns and closes it).
   */
  private static BranchCatalog openCatalog(TarnConfig config, FileIO objectIo) {
    if (objectIo == null) {
      return config.catalogUri().isPresent()
          ? NessieServerBranchCatalog.connect(config.catalogUri().get(), config.engine().warehouse())
          : EmbeddedBranchCatalog.open(config.engine().warehouse());
    }
    ObjectStorage storage = config.objectStorage().orElseThrow();
    return config.catalogUri().isPresent()
        ? NessieServerBranchCatalog.connect(config.catalogUri().get(), objectIo, storage.warehouse())
        : EmbeddedBranchCatalog.open(storage.catalogDir(), objectIo, storage.warehouse());
  }

  /** The path of every statement, for a front door whose calls can be cancelled through {@code cancellation}. */
  public StatementService statements(CancellationScope cancellation) {
    return new StatementService(frontend, lakehouse, pipelines, metrics, cancellation, administration,
        new MergeRequestCommands(mergeRequests));
  }

  public TarnConfig config() {
    return config;
  }

  public SqlFrontend frontend() {
    return frontend;
  }

  public Lakehouse lakehouse() {
    return lakehouse;
  }

  public SessionStore sessions() {
    return sessions;
  }

  public Pipelines pipelines() {
    return pipelines;
  }

  /** Requests to merge one branch into another, which holders of MERGE on the target decide. */
  public MergeRequests mergeRequests() {
    return mergeRequests;
  }

  /** Audit records, running statements and the administration statements. */
  public Administration administration() {
    return administration;
  }

  public TarnMetrics metrics() {
    return metrics;
  }

  public DuckDbEngine engine() {
    return engine;
  }

  /** Ends every session (rolling back open transactions), then closes pipelines, catalog and engine. */
  @Override
  public void close() {
    if (autoOptimizer != null) {
      autoOptimizer.close();
    }
    sessions.close();
    pipelines.close();
    lakehouse.close();
    engine.close();
    if (cache != null) {
      cache.close();
    }
    if (administration != null) {
      administration.close();
    }
  }

  private static void closeQuietly(FileIO io) {
    if (io != null) {
      try {
        io.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the object store client: {}", e.getMessage());
      }
    }
  }
}
