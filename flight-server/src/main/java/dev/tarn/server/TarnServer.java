package dev.tarn.server;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.catalog.remote.NessieServerBranchCatalog;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.server.auth.PasswordValidator;
import dev.tarn.server.flight.TarnFlightSqlProducer;
import dev.tarn.server.lakehouse.Lakehouse;
import dev.tarn.server.metrics.MetricsEndpoint;
import dev.tarn.server.metrics.TarnMetrics;
import dev.tarn.server.session.SessionMiddleware;
import dev.tarn.server.session.SessionStore;
import dev.tarn.sql.SqlFrontend;
import dev.tarn.sql.TarnSqlFrontend;
import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Tarn server: the Flight SQL endpoint over the engine, plus its metrics endpoint. */
public final class TarnServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TarnServer.class);
  public static final String VERSION = versionOrDevelopment();

  private final ServerConfig config;
  private final BufferAllocator allocator;
  private final DuckDbEngine engine;
  private final SessionStore sessions;
  private final Lakehouse lakehouse;
  private final TarnFlightSqlProducer producer;
  private final FlightServer flight;
  private final MetricsEndpoint metricsEndpoint;

  private TarnServer(ServerConfig config, BufferAllocator allocator, DuckDbEngine engine, SessionStore sessions,
      Lakehouse lakehouse, TarnFlightSqlProducer producer, FlightServer flight, MetricsEndpoint metricsEndpoint) {
    this.config = config;
    this.allocator = allocator;
    this.engine = engine;
    this.sessions = sessions;
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
    BufferAllocator allocator = new RootAllocator();
    DuckDbEngine engine = DuckDbEngine.open(config.engine());
    TarnMetrics metrics = new TarnMetrics();
    SqlFrontend frontend = new TarnSqlFrontend();
    BranchCatalog catalog = config.catalogUri().isPresent()
        ? NessieServerBranchCatalog.connect(config.catalogUri().get(), config.engine().warehouse())
        : EmbeddedBranchCatalog.open(config.engine().warehouse());
    Lakehouse lakehouse = new Lakehouse(catalog, engine, frontend);
    // A session that goes away with a transaction open leaves nothing behind.
    SessionStore sessions = new SessionStore(engine, config.sessionIdleTimeout(), lakehouse.transactions()::abandon);
    metrics.gauge("tarn.sessions.active", "Open client sessions", sessions::size);
    metrics.gauge("tarn.statements.running", "Statements running in the engine", engine::runningExecutions);
    TarnFlightSqlProducer producer = new TarnFlightSqlProducer(allocator, frontend, lakehouse, metrics,
        streamPool(config.engine().maxConcurrentExecutions()), VERSION);

    Location location = config.tls().isPresent()
        ? Location.forGrpcTls(config.host(), config.port())
        : Location.forGrpcInsecure(config.host(), config.port());
    FlightServer.Builder builder = FlightServer.builder(allocator, location, producer)
        .middleware(SessionMiddleware.KEY, new SessionMiddleware.Factory(sessions));
    if (config.credentials().isPresent()) {
      builder.headerAuthenticator(new GeneratedBearerTokenAuthenticator(
          new BasicCallHeaderAuthenticator(new PasswordValidator(config.credentials().get())),
          com.google.common.cache.CacheBuilder.newBuilder()
              .expireAfterWrite(config.tokenLifetime().toSeconds(), TimeUnit.SECONDS)));
    }
    if (config.tls().isPresent()) {
      builder.useTls(config.tls().get().certificate().toFile(), config.tls().get().privateKey().toFile());
    }
    FlightServer flight = builder.build();
    MetricsEndpoint metricsEndpoint = null;
    try {
      flight.start();
      if (config.metricsPort() >= 0) {
        metricsEndpoint = new MetricsEndpoint(config.host(), config.metricsPort(), metrics);
      }
    } catch (IOException | RuntimeException e) {
      closeAll(flight, producer, sessions, lakehouse, engine, allocator);
      throw new IOException("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
          + "); is another server using the port? Pick another with --port", e);
    }
    TarnServer server = new TarnServer(config, allocator, engine, sessions, lakehouse, producer, flight, metricsEndpoint);
    LOG.info("Tarn {} listening on {}:{} ({}, {})", VERSION, config.host(), server.port(),
        config.tls().isPresent() ? "TLS" : "plain gRPC",
        config.credentials().isPresent() ? "password required" : "open, loopback only");
    return server;
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
    closeAll(flight, producer, sessions, lakehouse, engine, allocator);
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
  }

  private static void closeAll(FlightServer flight, TarnFlightSqlProducer producer, SessionStore sessions,
      Lakehouse lakehouse, DuckDbEngine engine, BufferAllocator allocator) {
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
    lakehouse.close();
    engine.close();
    try {
      allocator.close();
    } catch (RuntimeException e) {
      LOG.warn("some Arrow memory was still in use at shutdown: {}", e.getMessage());
    }
  }

  private static String versionOrDevelopment() {
    String version = TarnServer.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-SNAPSHOT" : version;
  }
}
