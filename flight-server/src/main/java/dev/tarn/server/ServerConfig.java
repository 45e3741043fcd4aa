package dev.tarn.server;

import dev.tarn.mcp.CallLimits;
import dev.tarn.core.ObjectStorage;
import dev.tarn.core.audit.AuditLog;
import dev.tarn.core.TarnConfig;
import dev.tarn.core.maintenance.AutoOptimizePolicy;
import dev.tarn.executor.EngineConfig;
import dev.tarn.sql.StatementLimits;
import dev.tarn.core.auth.LoginLimits;
import dev.tarn.server.flight.ParameterLimits;
import dev.tarn.core.session.SessionLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code tarn serve} can be told.
 *
 * @param host address to bind; loopback by default
 * @param port Flight SQL port; 0 picks a free one
 * @param engine the DuckDB engine's sizing and warehouse
 * @param credentials the one user allowed in, or empty for an open server (loopback only)
 * @param tls certificate and key for TLS, or empty for plain gRPC
 * @param metricsPort port of the Prometheus scrape endpoint, or -1 for none, 0 for a free one
 * @param tokenLifetime how long a bearer token handed out for basic credentials stays valid
 * @param sessionLimits sessions kept in total and per user, and how long an idle one lasts
 * @param catalogUri a Nessie server's REST API v2 address, or empty for the embedded catalog
 * @param objectStorage a warehouse on S3-compatible object storage, or empty for the warehouse
 *     folder {@code engine.warehouse()}; with it, {@code engine.warehouse()} is the local directory
 *     holding the data file cache and DuckDB's spill files
 * @param projectsRoot the folder whose pipeline projects {@code RUN PIPELINE 'path'} may run
 *     (relative paths resolve in it); the folder the server was started in by default
 * @param scanCacheBytes memory for pipeline scans' cached data file fragments; 0 (the default)
 *     turns the cache off: on local Parquet it does not pay (benchmarks/README.md, B6)
 * @param loginLimits failed logins allowed per client address and per user before attempts are refused
 * @param maxResultMessageBytes the size a streamed result message stays under (batches are split
 *     by rows; a single row larger than this is still sent whole)
 * @param maxStatementBytes the largest statement text a client may send, in UTF-8 bytes
 * @param maxNestingDepth the deepest a client's statement may nest (see {@link StatementLimits})
 * @param parameterLimits the bound values one upload may bring, in bytes and rows
 * @param auditRetentionDays how many days audit records are kept ({@code --audit-retention-days})
 * @param failedRunBranchTtl how long the branch a failed pipeline run kept stays before it is dropped
 *     ({@code --failed-run-branch-ttl})
 * @param mcpCallLimits what one token may ask of the MCP doors ({@code --mcp-calls-per-minute},
 *     {@code --mcp-concurrent-calls})
 * @param autoOptimize the background compaction policy ({@code --auto-optimize}); empty when off
 */
public record ServerConfig(
    String host,
    int port,
    EngineConfig engine,
    Optional<Credentials> credentials,
    Optional<TlsFiles> tls,
    int metricsPort,
    Duration tokenLifetime,
    SessionLimits sessionLimits,
    Optional<java.net.URI> catalogUri,
    Optional<ObjectStorage> objectStorage,
    Path projectsRoot,
    long scanCacheBytes,
    LoginLimits loginLimits,
    long maxResultMessageBytes,
    int maxStatementBytes,
    int maxNestingDepth,
    ParameterLimits parameterLimits,
    int auditRetentionDays,
    Duration failedRunBranchTtl,
    CallLimits mcpCallLimits,
    Optional<AutoOptimizePolicy> autoOptimize) {

  public static final int DEFAULT_PORT = 31337;
  /** How long a failed pipeline run's branch is kept for inspection: a week. */
  public static final Duration DEFAULT_FAILED_RUN_BRANCH_TTL = TarnConfig.DEFAULT_FAILED_RUN_BRANCH_TTL;

  /**
   * Result batches are split so no streamed message is much larger than this: gRPC clients refuse
   * messages over 16 MiB unless told otherwise (ADBC, the JDBC driver), and smaller messages keep
   * the first rows coming sooner.
   */
  public static final long DEFAULT_MAX_RESULT_MESSAGE_BYTES = 4L << 20;
  public static final int DEFAULT_METRICS_PORT = 9464;

  /** A user name and password that basic auth must match. */
  public record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=***]";
    }
  }

  /** PEM certificate chain and PKCS#8 private key. */
  public record TlsFiles(Path certificate, Path privateKey) {}

  /** An open, plain server on loopback with a free port: what tests and first-time users want. */
  public static ServerConfig local(Path warehouse) {
    return new ServerConfig("127.0.0.1", 0, EngineConfig.defaults(warehouse), Optional.empty(), Optional.empty(),
        -1, Duration.ofHours(12), SessionLimits.defaults(), Optional.empty(), Optional.empty(),
        Path.of("").toAbsolutePath(), 0, LoginLimits.defaults(), DEFAULT_MAX_RESULT_MESSAGE_BYTES,
        StatementLimits.DEFAULT_MAX_STATEMENT_BYTES, StatementLimits.DEFAULT_MAX_NESTING_DEPTH,
        ParameterLimits.defaults(), AuditLog.DEFAULT_RETENTION_DAYS, DEFAULT_FAILED_RUN_BRANCH_TTL, CallLimits.defaults(),
        Optional.empty());
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits, catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits, catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  public ServerConfig withCredentials(Credentials newCredentials) {
    return new ServerConfig(host, port, engine, Optional.ofNullable(newCredentials), tls, metricsPort, tokenLifetime,
        sessionLimits, catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  public ServerConfig withTls(TlsFiles newTls) {
    return new ServerConfig(host, port, engine, credentials, Optional.ofNullable(newTls), metricsPort, tokenLifetime,
        sessionLimits, catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  public ServerConfig withMetricsPort(int newMetricsPort) {
    return new ServerConfig(host, port, engine, credentials, tls, newMetricsPort, tokenLifetime, sessionLimits, catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Version tables in a Nessie server instead of the embedded catalog. */
  public ServerConfig withCatalogUri(java.net.URI uri) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        Optional.ofNullable(uri), objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Keep the warehouse on object storage; the engine's warehouse folder becomes its local cache. */
  public ServerConfig withObjectStorage(ObjectStorage storage) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, Optional.ofNullable(storage), projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Run pipeline projects from this folder ({@code --projects}). */
  public ServerConfig withProjectsRoot(Path root) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, root.toAbsolutePath().normalize(), scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Give pipeline scans a cache of this many bytes ({@code --scan-cache-mb}); 0 turns it off. */
  public ServerConfig withScanCacheBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("the scan cache size cannot be negative");
    }
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, bytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Keep at most so many sessions, close idle ones after so long ({@code --max-sessions}...). */
  public ServerConfig withSessionLimits(SessionLimits limits) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, limits, catalogUri,
        objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Refuse logins for a while after so many failures ({@code --max-failed-logins}...). */
  public ServerConfig withLoginLimits(LoginLimits limits) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, limits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Where the tables live: {@code s3://bucket/prefix}, or the warehouse folder. */
  /** Keep audit records this many days ({@code --audit-retention-days}). */
  public ServerConfig withAuditRetentionDays(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("--audit-retention-days must be at least 1, not " + days);
    }
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes,
        maxNestingDepth, parameterLimits, days, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** Drop the branches failed pipeline runs kept once they are this old ({@code --failed-run-branch-ttl}). */
  public ServerConfig withMcpCallLimits(CallLimits limits) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes,
        maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, limits, autoOptimize);
  }

  /** Compact tables in the background by this policy ({@code --auto-optimize}); empty turns it off. */
  public ServerConfig withAutoOptimize(Optional<AutoOptimizePolicy> policy) {
    ServerConfig c = this;
    return new ServerConfig(c.host, c.port, c.engine, c.credentials, c.tls, c.metricsPort, c.tokenLifetime,
        c.sessionLimits, c.catalogUri, c.objectStorage, c.projectsRoot, c.scanCacheBytes, c.loginLimits,
        c.maxResultMessageBytes, c.maxStatementBytes, c.maxNestingDepth, c.parameterLimits, c.auditRetentionDays,
        c.failedRunBranchTtl, c.mcpCallLimits, policy);
  }

  public ServerConfig withFailedRunBranchTtl(Duration ttl) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes,
        maxNestingDepth, parameterLimits, auditRetentionDays, TarnConfig.checkFailedRunBranchTtl(ttl), mcpCallLimits, autoOptimize);
  }

  /** What the database behind the transport needs. */
  public TarnConfig database() {
    return new TarnConfig(engine, catalogUri, objectStorage, projectsRoot, scanCacheBytes, sessionLimits,
        statementLimits(), auditRetentionDays, credentials.map(Credentials::user), failedRunBranchTtl, autoOptimize);
  }

  public String warehouseLocation() {
    return objectStorage.map(ObjectStorage::warehouse).orElse(engine.warehouse().toString());
  }

  public ServerConfig withEngine(EngineConfig newEngine) {
    return new ServerConfig(host, port, newEngine, credentials, tls, metricsPort, tokenLifetime, sessionLimits, catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /**
   * Refuses configurations that would expose data: any address other than loopback needs a password.
   *
   * @throws IllegalArgumentException with a message telling the operator what to do
   */
  public void validate() {
    if (credentials.isEmpty() && !isLoopback(host)) {
      throw new IllegalArgumentException("refusing to listen on " + host
          + " without authentication: anyone who can reach this address could read and change every table."
          + " Set a user and password (--user U --password-env VAR), or bind 127.0.0.1.");
    }
    if (objectStorage.isPresent()) {
      Path local = engine.warehouse();
      Path catalogDir = objectStorage.get().catalogDir();
      if (catalogDir.startsWith(local) || local.startsWith(catalogDir)) {
        throw new IllegalArgumentException("the catalog directory " + catalogDir + " and the cache directory " + local
            + " must not contain each other: SQL may read files in the cache directory, never the catalog's");
      }
    }
    if (credentials.isPresent() && credentials.get().password().isEmpty()) {
      throw new IllegalArgumentException("the password for user " + credentials.get().user()
          + " is empty; put a non-empty password in the environment variable given to --password-env");
    }
  }

  static boolean isLoopback(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve the address to bind, " + host + ": " + e.getMessage(), e);
    }
  }

  /** Split result batches so each streamed message stays under this many bytes ({@code --max-result-message-mb}). */
  public ServerConfig withMaxResultMessageBytes(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("the result message size limit must be at least 1 KiB, not " + bytes
          + " bytes");
    }
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, bytes, maxStatementBytes, maxNestingDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** The largest statement and deepest nesting a client may send ({@code --max-statement-bytes}, {@code --max-nesting-depth}). */
  public ServerConfig withStatementLimits(int maxBytes, int maxDepth) {
    new StatementLimits(maxBytes, maxDepth, engine.queryTimeout()); // validates
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxBytes, maxDepth, parameterLimits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** The bound values one upload may bring ({@code --max-parameter-mb}, {@code --max-parameter-rows}). */
  public ServerConfig withParameterLimits(ParameterLimits limits) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionLimits,
        catalogUri, objectStorage, projectsRoot, scanCacheBytes, loginLimits, maxResultMessageBytes, maxStatementBytes,
        maxNestingDepth, limits, auditRetentionDays, failedRunBranchTtl, mcpCallLimits, autoOptimize);
  }

  /** The statement limits the SQL front end enforces, with the engine's query timeout as the parse deadline. */
  public StatementLimits statementLimits() {
    return new StatementLimits(maxStatementBytes, maxNestingDepth, engine.queryTimeout());
  }
}
