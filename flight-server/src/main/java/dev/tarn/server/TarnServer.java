package dev.tarn.server;

import dev.tarn.core.Tarn;
import dev.tarn.executor.DeepStackThreads;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.core.session.SessionStore;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.auth.LoginTokenStore;
import dev.tarn.core.auth.PasswordCheck;
import dev.tarn.mcp.CallBudgets;
import dev.tarn.mcp.McpAuthenticator;
import dev.tarn.mcp.McpOverFlight;
import dev.tarn.mcp.TarnMcpServer;
import dev.tarn.rest.IcebergRestServer;
import dev.tarn.rest.RestAuthenticator;
import dev.tarn.server.auth.ApiTokenAuthenticator;
import dev.tarn.server.auth.LoginTokens;
import dev.tarn.server.auth.PasswordValidator;
import dev.tarn.server.auth.ThrottledAuthenticator;
import dev.tarn.core.auth.LoginThrottle;
import com.google.common.base.Ticker;
import dev.tarn.server.flight.TarnFlightSqlProducer;
import dev.tarn.server.metrics.MetricsEndpoint;
import dev.tarn.server.session.ClientAddress;
import dev.tarn.server.session.SessionMiddleware;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
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
  private final Tarn tarn;
  private final TarnFlightSqlProducer producer;
  private final FlightServer flight;
  private final MetricsEndpoint metricsEndpoint;
  private RestAuthenticator restAuthenticator;
  private IcebergRestServer icebergRest;
  private McpAuthenticator mcpAuthenticator;
  /** What each token may still ask of the MCP doors: the Flight action and, when served, HTTP share it. */
  private CallBudgets mcpBudgets;
  private TarnMcpServer mcp;

  private TarnServer(ServerConfig config, BufferAllocator allocator, Tarn tarn, TarnFlightSqlProducer producer,
      FlightServer flight, MetricsEndpoint metricsEndpoint) {
    this.config = config;
    this.allocator = allocator;
    this.tarn = tarn;
    this.producer = producer;
    this.flight = flight;
    this.metricsEndpoint = metricsEndpoint;
  }

  /**
   * Validates the configuration, opens the database and starts listening.
   *
   * @throws IllegalArgumentException for a configuration that would be unsafe or cannot work
   * @throws IOException when the port cannot be bound
   */
  public static TarnServer start(ServerConfig config) throws IOException {
    config.validate();
    BufferAllocator allocator = new RootAllocator();
    Tarn tarn;
    try {
      tarn = Tarn.open(config.database(), allocator);
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
    CallBudgets mcpBudgets = new CallBudgets(config.mcpCallLimits());
    McpOverFlight mcpOverFlight = McpOverFlight.start(tarn, allocator, mcpBudgets, VERSION);
    TarnFlightSqlProducer producer = new TarnFlightSqlProducer(allocator,
        tarn::statements, tarn.lakehouse(), tarn.pipelines(),
        tarn.metrics(), streamPool(config.engine().maxConcurrentExecutions(), tarn.engine().deepStack()), config.maxResultMessageBytes(),
        config.parameterLimits(), VERSION, mcpOverFlight);
    SessionStore sessions = tarn.sessions();
    AccessControl access = tarn.lakehouse().access();

    Location location = config.tls().isPresent()
        ? Location.forGrpcTls(config.host(), config.port())
        : Location.forGrpcInsecure(config.host(), config.port());
    FlightServer.Builder builder = FlightServer.builder(allocator, location, producer)
        .middleware(SessionMiddleware.KEY, new SessionMiddleware.Factory(sessions,
            tarn.administration().commands()::closeAtClientsRequest))
        .transportHint("grpc.builderConsumer", (Consumer<NettyServerBuilder>) netty ->
            netty.addStreamTracerFactory(new ClientAddress()));
    // One password check and one store of login tokens for every front door: a token from a Flight SQL
    // login is good at the Iceberg REST catalog and the other way round.
    PasswordCheck passwords = config.credentials()
        .map(c -> new PasswordCheck(c.user(), c.password(), access)).orElse(null);
    LoginTokenStore loginTokens = passwords == null ? null : new LoginTokenStore(access, config.tokenLifetime());
    // ...and one count of failed logins: a guesser gets the limit once, whichever door it knocks on.
    LoginThrottle throttle = new LoginThrottle(config.loginLimits(), Ticker.systemTicker());
    if (passwords != null) {
      builder.headerAuthenticator(new ThrottledAuthenticator(new ApiTokenAuthenticator(
          new LoginTokens(new BasicCallHeaderAuthenticator(new PasswordValidator(passwords)), loginTokens), access),
          throttle));
    }
    if (config.tls().isPresent()) {
      builder.useTls(config.tls().get().certificate().toFile(), config.tls().get().privateKey().toFile());
    }
    FlightServer flight = builder.build();
    MetricsEndpoint metricsEndpoint = null;
    try {
      flight.start();
    } catch (IOException | RuntimeException e) {
      closeAll(flight, producer, tarn, allocator);
      throw new IOException("cannot listen for Flight SQL on " + config.host() + ":" + config.port() + " ("
          + rootMessage(e) + "); is another server using the port? Pick another with --port", e);
    }
    if (config.metricsPort() >= 0) {
      try {
        metricsEndpoint = new MetricsEndpoint(config.host(), config.metricsPort(), tarn.metrics());
      } catch (IOException | RuntimeException e) {
        closeAll(flight, producer, tarn, allocator);
        throw new IOException("cannot listen for metrics on " + config.host() + ":" + config.metricsPort() + " ("
            + rootMessage(e) + "); is another server using the port? Pick another with --metrics-port, or turn"
            + " metrics off with --metrics-port -1", e);
      }
    }
    TarnServer server = new TarnServer(config, allocator, tarn, producer, flight, metricsEndpoint);
    server.restAuthenticator = passwords == null ? RestAuthenticator.open()
        : RestAuthenticator.enforcing(access, passwords, loginTokens, throttle);
    server.mcpAuthenticator = passwords == null ? McpAuthenticator.open()
        : McpAuthenticator.enforcing(access, loginTokens);
    server.mcpBudgets = mcpBudgets;
    LOG.info("Tarn {} serving {} on {}:{} ({}, {})", VERSION, config.warehouseLocation(), config.host(), server.port(),
        config.tls().isPresent() ? "TLS" : "plain gRPC",
        config.credentials().isPresent() ? "password required" : "open, loopback only");
    return server;
  }

  /**
   * Streams run here, never on gRPC's threads; bounded so a flood of queries queues instead of
   * spawning threads. The threads have the engine's deep stack, so they fetch batches in place.
   */
  private static ExecutorService streamPool(int threads, DeepStackThreads deepStack) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), deepStack.streamingThreads("tarn-stream-"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  public int port() {
    return flight.getPort();
  }

  public String host() {
    return config.host();
  }

  /** The client sessions the server keeps. */
  public SessionStore sessions() {
    return tarn.sessions();
  }

  /** The engine behind the server (tests look at what it holds, as no client can). */
  /** The core behind the front doors, for tests of this package that look at catalog state directly. */
  Tarn tarn() {
    return tarn;
  }

  public DuckDbEngine engine() {
    return tarn.engine();
  }

  public ServerConfig config() {
    return config;
  }

  /** The Prometheus endpoint's port, or -1 when metrics are off. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /**
   * Serves the Iceberg REST catalog for other engines on {@code port} (0 picks a free one), on the Flight
   * SQL host, with the same users and tokens; it stops with the server.
   *
   * @throws IOException when the port cannot be bound
   */
  public synchronized void serveIcebergRest(int port) throws IOException {
    if (icebergRest != null) {
      throw new IllegalStateException("the Iceberg REST catalog is already served on port " + icebergRest.port());
    }
    try {
      icebergRest = IcebergRestServer.start(config.host(), port, tarn.lakehouse(), restAuthenticator,
          tarn.administration().log());
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot listen for the Iceberg REST catalog on " + config.host() + ":" + port + " ("
          + rootMessage(e) + "); is another server using the port? Pick another with --iceberg-rest-port", e);
    }
    LOG.info("Iceberg REST catalog on http://{}:{}/", config.host(), icebergRest.port());
  }

  /**
   * Serves MCP for agents over streamable HTTP on {@code port} (0 picks a free one), on the Flight SQL
   * host, with the same users and tokens; it stops with the server.
   *
   * @throws IOException when the port cannot be bound
   */
  public synchronized void serveMcp(int port) throws IOException {
    if (mcp != null) {
      throw new IllegalStateException("MCP is already served on port " + mcp.port());
    }
    try {
      mcp = TarnMcpServer.start(config.host(), port, tarn, allocator, mcpAuthenticator, mcpBudgets, VERSION);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot listen for MCP on " + config.host() + ":" + port + " (" + rootMessage(e)
          + "); is another server using the port? Pick another with --mcp-port", e);
    }
    LOG.info("MCP for agents on http://{}:{}/mcp", config.host(), mcp.port());
  }

  /** The MCP door's port, or -1 when it is not served. */
  public synchronized int mcpPort() {
    return mcp == null ? -1 : mcp.port();
  }

  /** The Iceberg REST catalog's port, or -1 when it is not served. */
  public synchronized int icebergRestPort() {
    return icebergRest == null ? -1 : icebergRest.port();
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
    synchronized (this) {
      if (icebergRest != null) {
        icebergRest.close();
      }
      if (mcp != null) {
        mcp.close();
      }
    }
    closeAll(flight, producer, tarn, allocator);
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
  }

  private static void closeAll(FlightServer flight, TarnFlightSqlProducer producer, Tarn tarn,
      BufferAllocator allocator) {
    try {
      flight.shutdown();
      flight.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("flight shutdown: {}", e.getMessage());
    }
    if (producer != null) {
      producer.close();
    }
    tarn.close();
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
