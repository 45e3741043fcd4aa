package dev.tarn.server;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.catalog.remote.NessieServerBranchCatalog;
import dev.tarn.catalog.storage.S3Storage;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.lakehouse.CachedDataFiles;
import dev.tarn.executor.lakehouse.DataFileStore;
import dev.tarn.executor.pipeline.PipelineRunner;
import dev.tarn.executor.pipeline.RunRecords;
import dev.tarn.executor.pipeline.ScanCache;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonModelRunner;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.access.AccessStore;
import dev.tarn.server.auth.ApiTokenAuthenticator;
import dev.tarn.server.auth.PasswordValidator;
import dev.tarn.server.auth.ThrottledAuthenticator;
import dev.tarn.server.session.ClientAddress;
import io.grpc.netty.NettyServerBuilder;
import java.util.function.Consumer;
import dev.tarn.server.flight.TarnFlightSqlProducer;
import dev.tarn.core.lakehouse.Lakehouse;
import dev.tarn.server.metrics.MetricsEndpoint;
import dev.tarn.core.metrics.TarnMetrics;
import dev.tarn.core.pipeline.PipelineSql;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.server.session.SessionMiddleware;
import dev.tarn.core.session.SessionStore;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.TarnSqlFrontend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.GeneratedBearerTokenAuthenticator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Tarn server: the Flight SQL endpoint over the engine, plus its metrics endpoint. */
public final class TarnServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TarnServer.class);
  public static final String VERSION = versionOrDevelopment();
  /** Models of one run that may execute at once (the machines Tarn targets have 2 cores). */
  private static final int PIPELINE_PARALLELISM = 2;

  private final ServerConfig config;
  private final BufferAllocator allocator;
  private final DuckDbEngine engine;
  private final SessionStore sessions;
  private final Pipelines pipelines;
  private final Lakehouse lakehouse;
  private final TarnFlightSqlProducer producer;
  private final FlightServer flight;
  private final MetricsEndpoint metricsEndpoint;
  private final CachedDataFiles cache;

  private TarnServer(ServerConfig config, BufferAllocator allocator, DuckDbEngine engine, SessionStore sessions,
      Pipelines pipelines, Lakehouse lakehouse, TarnFlightSqlProducer producer, FlightServer flight,
      MetricsEndpoint metricsEndpoint, CachedDataFiles cache) {
    this.cache = cache;
    this.config = config;
    this.allocator = allocator;
    this.engine = engine;
    this.sessions = sessions;
    this.pipelines = pipelines;
    this.lakehouse = lakehouse;
    this.producer = producer;
    this.flight = flight;
    this.metricsEndpoint = metricsEndpoint;
  }

  /**
   * Validates the configuration, opens the engine and starts listening.
   *
   * @throws IllegalArgumentException for a configuration that would be unsafe or cannot work
   * @throws IOException when the port cannot be bound
   */
  public static TarnServer start(ServerConfig config) throws IOException {
    config.validate();
    // Object storage is checked first: a wrong endpoint, credentials or bucket fails before anything starts.
    FileIO objectIo = config.objectStorage().map(o -> S3Storage.open(o.warehouse(), o.s3())).orElse(null);
    BufferAllocator allocator = new RootAllocator();
    DuckDbEngine engine;
    BranchCatalog catalog;
    CachedDataFiles cache = null;
    try {
      engine = DuckDbEngine.open(config.engine());
    } catch (RuntimeException e) {
      closeQuietly(objectIo);
      allocator.close();
      throw e;
    }
    try {
      catalog = openCatalog(config, objectIo);
      if (objectIo != null) {
        // DuckDB reads and writes local copies of the data files: the cache lives in its only allowed directory
        cache = new CachedDataFiles(objectIo, config.engine().warehouse().resolve(CACHE_DIRECTORY));
      }
    } catch (RuntimeException e) {
      closeQuietly(objectIo);
      engine.close();
      allocator.close();
      throw e;
    }
    TarnMetrics metrics = new TarnMetrics();
    SqlFrontend frontend = new TarnSqlFrontend(config.statementLimits());
    AccessControl access = accessControl(config);
    Lakehouse lakehouse = new Lakehouse(catalog, engine, frontend, metrics::scanned,
        cache == null ? DataFileStore.local() : cache, access);
    // A session that goes away with a transaction open leaves nothing behind.
    SessionStore sessions = new SessionStore(engine, config.sessionLimits(), lakehouse.transactions()::abandon);
    metrics.gauge("tarn.sessions.active", "Open client sessions", sessions::size);
    metrics.gauge("tarn.statements.running", "Statements running in the engine", engine::runningExecutions);
    Pipelines pipelines = pipelines(config, catalog, engine, lakehouse, frontend, allocator,
        config.scanCacheBytes() > 0 ? new ScanCache(engine, config.scanCacheBytes()) : ScanCache.off());
    TarnFlightSqlProducer producer = new TarnFlightSqlProducer(allocator, frontend, lakehouse, pipelines, metrics,
        streamPool(config.engine().maxConcurrentExecutions()), config.maxResultMessageBytes(), VERSION);

    Location location = config.tls().isPresent()
        ? Location.forGrpcTls(config.host(), config.port())
        : Location.forGrpcInsecure(config.host(), config.port());
    FlightServer.Builder builder = FlightServer.builder(allocator, location, producer)
        .middleware(SessionMiddleware.KEY, new SessionMiddleware.Factory(sessions))
        .transportHint("grpc.builderConsumer", (Consumer<NettyServerBuilder>) netty ->
            netty.addStreamTracerFactory(new ClientAddress()));
    if (config.credentials().isPresent()) {
      builder.headerAuthenticator(new ThrottledAuthenticator(new ApiTokenAuthenticator(
          new GeneratedBearerTokenAuthenticator(
              new BasicCallHeaderAuthenticator(new PasswordValidator(config.credentials().get(), access)),
              com.google.common.cache.CacheBuilder.newBuilder()
                  .expireAfterWrite(config.tokenLifetime().toSeconds(), TimeUnit.SECONDS)), access),
          config.loginLimits()));
    }
    if (config.tls().isPresent()) {
      builder.useTls(config.tls().get().certificate().toFile(), config.tls().get().privateKey().toFile());
    }
    FlightServer flight = builder.build();
    MetricsEndpoint metricsEndpoint = null;
    try {
      flight.start();
    } catch (IOException | RuntimeException e) {
      closeAll(flight, producer, sessions, pipelines, lakehouse, engine, allocator, cache);
      throw new IOException("cannot listen for Flight SQL on " + config.host() + ":" + config.port() + " ("
          + rootMessage(e) + "); is another server using the port? Pick another with --port", e);
    }
    if (config.metricsPort() >= 0) {
      try {
        metricsEndpoint = new MetricsEndpoint(config.host(), config.metricsPort(), metrics);
      } catch (IOException | RuntimeException e) {
        closeAll(flight, producer, sessions, pipelines, lakehouse, engine, allocator, cache);
        throw new IOException("cannot listen for metrics on " + config.host() + ":" + config.metricsPort() + " ("
            + rootMessage(e) + "); is another server using the port? Pick another with --metrics-port, or turn"
            + " metrics off with --metrics-port -1", e);
      }
    }
    TarnServer server = new TarnServer(config, allocator, engine, sessions, pipelines, lakehouse, producer, flight,
        metricsEndpoint, cache);
    LOG.info("Tarn {} serving {} on {}:{} ({}, {})", VERSION, config.warehouseLocation(), config.host(), server.port(),
        config.tls().isPresent() ? "TLS" : "plain gRPC",
        config.credentials().isPresent() ? "password required" : "open, loopback only");
    return server;
  }

  /**
   * Pipeline runs: recorded under {@code <warehouse>/runs}, sent projects unpacked under {@code
   * <warehouse>/uploads} (neither readable from SQL). uv and Python are looked for at the first
   * run, so that a machine without them still serves SQL.
   */
  private static Pipelines pipelines(ServerConfig config, BranchCatalog catalog, DuckDbEngine engine,
      Lakehouse lakehouse, SqlFrontend frontend, BufferAllocator allocator, ScanCache scanCache) {
    Path local = config.engine().warehouse();
    return new Pipelines(() -> new PipelineRunner(catalog, engine, lakehouse.views(),
            Environments.locate(Environments.defaultCacheDir()), new PythonModelRunner(allocator), null,
            new PipelineSql(frontend), PIPELINE_PARALLELISM, scanCache),
        new RunRecords(local.resolve("runs")), config.projectsRoot(), local.resolve("uploads"), scanCache,
        lakehouse.access());
  }

  /** The folder under the warehouse's local folder where users, grants, tokens and protections are kept. */
  public static final String ACCESS_DIRECTORY = "access";

  /**
   * With a password, the user it names is the bootstrap admin and everyone else needs grants; without,
   * the one implicit admin may do everything. Kept beside the run records, outside what SQL can read.
   */
  private static AccessControl accessControl(ServerConfig config) {
    AccessStore store = AccessStore.in(config.engine().warehouse().resolve(ACCESS_DIRECTORY));
    return config.credentials().isPresent()
        ? AccessControl.enforcing(config.credentials().get().user(), store)
        : AccessControl.open(store);
  }

  /** Under the engine's folder, the local copies of an object-store warehouse's data files. */
  public static final String CACHE_DIRECTORY = "cache";

  /**
   * The embedded catalog (RocksDB under the warehouse folder, or under the catalog directory for
   * object storage) or a Nessie server; tables' files under the warehouse, through {@code objectIo}
   * when it is on object storage (the catalog then owns and closes it).
   */
  private static BranchCatalog openCatalog(ServerConfig config, FileIO objectIo) {
    if (objectIo == null) {
      return config.catalogUri().isPresent()
          ? NessieServerBranchCatalog.connect(config.catalogUri().get(), config.engine().warehouse())
          : EmbeddedBranchCatalog.open(config.engine().warehouse());
    }
    ServerConfig.ObjectStorage storage = config.objectStorage().orElseThrow();
    return config.catalogUri().isPresent()
        ? NessieServerBranchCatalog.connect(config.catalogUri().get(), objectIo, storage.warehouse())
        : EmbeddedBranchCatalog.open(storage.catalogDir(), objectIo, storage.warehouse());
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

  /** Streams run here, never on gRPC's threads; bounded so a flood of queries queues instead of spawning threads. */
  private static ExecutorService streamPool(int threads) {
    AtomicInteger counter = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "tarn-stream-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  public int port() {
    return flight.getPort();
  }

  public String host() {
    return config.host();
  }

  public ServerConfig config() {
    return config;
  }

  /** The Prometheus endpoint's port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /** The URL to paste into DBeaver or any JDBC tool. */
  public String jdbcUrl() {
    return "jdbc:arrow-flight-sql://" + config.host() + ":" + port() + "/"
        + (config.tls().isPresent() ? "?useEncryption=true&disableCertificateVerification=true"
            : "?useEncryption=false");
  }

  public void awaitTermination() throws InterruptedException {
    flight.awaitTermination();
  }

  @Override
  public void close() {
    closeAll(flight, producer, sessions, pipelines, lakehouse, engine, allocator, cache);
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
  }

  private static void closeAll(FlightServer flight, TarnFlightSqlProducer producer, SessionStore sessions,
      Pipelines pipelines, Lakehouse lakehouse, DuckDbEngine engine, BufferAllocator allocator,
      CachedDataFiles cache) {
    try {
      flight.shutdown();
      flight.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("flight shutdown: {}", e.getMessage());
    }
    try {
      flight.close();
    } catch (Exception e) {
      LOG.debug("flight close: {}", e.getMessage());
    }
    producer.close();
    sessions.close();
    pipelines.close();
    lakehouse.close();
    engine.close();
    if (cache != null) {
      cache.close();
    }
    try {
      allocator.close();
    } catch (RuntimeException e) {
      LOG.warn("some Arrow memory was still in use at shutdown: {}", e.getMessage());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static String versionOrDevelopment() {
    String version = TarnServer.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-SNAPSHOT" : version;
  }
}
