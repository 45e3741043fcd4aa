package dev.tarn.server.cli;

import dev.tarn.core.ObjectStorage;
import dev.tarn.catalog.storage.S3Storage;
import dev.tarn.executor.EngineConfig;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.maintenance.AutoOptimizePolicy;
import dev.tarn.mcp.CallLimits;
import dev.tarn.server.ServerConfig;
import dev.tarn.server.ServerConfig.Credentials;
import dev.tarn.server.ServerConfig.TlsFiles;
import dev.tarn.server.TarnServer;
import dev.tarn.core.auth.LoginLimits;
import dev.tarn.server.flight.ParameterLimits;
import dev.tarn.core.session.SessionLimits;
import dev.tarn.server.session.SessionMiddleware;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tarn serve}: starts the server and prints how to connect. */
@Command(name = "serve", mixinStandardHelpOptions = true, defaultValueProvider = EnvironmentDefaults.class,
    description = "Start the Tarn server on its embedded default (a warehouse folder on this machine).",
    footer = {"",
        "Every option can also be set by an environment variable: " + EnvironmentDefaults.PREFIX + " and the option's"
            + " name in capitals with _ for -, as in " + EnvironmentDefaults.PREFIX + "PORT=31337 or "
            + EnvironmentDefaults.PREFIX + "S3_PATH_STYLE=true. A flag given here wins over the variable; an empty"
            + " variable counts as unset. Secrets stay in variables of their own, named by --password-env and"
            + " --s3-*-key-env."})
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "31337", description = "Flight SQL port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--warehouse", defaultValue = "./warehouse",
      description = "Where the tables live: a folder, or s3://bucket/prefix on S3-compatible object storage"
          + " (default: ${DEFAULT-VALUE}).")
  String warehouse;

  @Option(names = "--s3-endpoint", paramLabel = "URI",
      description = "S3 API address of an S3-compatible store, e.g. http://127.0.0.1:9000 (default: AWS S3).")
  java.net.URI s3Endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION",
      description = "Signing region (default: AWS_REGION and the AWS defaults; us-east-1 with --s3-endpoint).")
  String s3Region;

  @Option(names = "--s3-path-style",
      description = "Address buckets as http://host/bucket (most S3-compatible servers) instead of bucket.host.")
  boolean s3PathStyle;

  @Option(names = "--s3-access-key-env", paramLabel = "VAR",
      description = "Environment variable holding the S3 access key id (default: AWS_ACCESS_KEY_ID and the AWS"
          + " default credential chain).")
  String s3AccessKeyEnv;

  @Option(names = "--s3-secret-key-env", paramLabel = "VAR",
      description = "Environment variable holding the S3 secret access key; goes with --s3-access-key-env.")
  String s3SecretKeyEnv;

  @Option(names = "--catalog-dir", paramLabel = "DIR",
      description = "With an s3:// warehouse: local folder of the embedded catalog's repository"
          + " (default: ./warehouse-catalog).")
  Path catalogDir;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "With an s3:// warehouse: local folder for copies of data files and the engine's spill files,"
          + " the only folder SQL may read (default: ./warehouse-cache).")
  Path cacheDir;

  @Option(names = "--user", description = "User name clients must authenticate as.")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Environment variable holding the password (never pass a password on the command line).")
  String passwordEnv;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain; enables TLS.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key for --tls-cert.")
  Path tlsKey;

  @Option(names = "--catalog-uri", paramLabel = "URI",
      description = "A Nessie server's REST API, e.g. http://nessie:19120/api/v2 (default: the embedded catalog"
          + " under the warehouse).")
  java.net.URI catalogUri;

  @Option(names = "--projects", paramLabel = "DIR", defaultValue = ".",
      description = "Folder whose pipeline projects RUN PIPELINE 'path' may run; paths resolve in it"
          + " (default: the folder the server starts in).")
  Path projects;

  @Option(names = "--scan-cache-mb", paramLabel = "MB", defaultValue = "0",
      description = "Memory for caching pipeline scans' data files, reused by overlapping scans; 0 turns it off"
          + " (default: ${DEFAULT-VALUE}; on a local warehouse it does not pay, see benchmarks/README.md, B6).")
  long scanCacheMb;

  @Option(names = "--metrics-port", defaultValue = "9464",
      description = "Prometheus scrape endpoint port, -1 to turn it off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--iceberg-rest-port", defaultValue = "0",
      description = "Serve the Iceberg REST catalog for other engines (Spark, Trino, PyIceberg) on this port, on"
          + " the same host as Flight SQL; each branch or tag is a warehouse. 0 (the default) leaves it off.")
  int icebergRestPort;

  @Option(names = "--mcp-port", defaultValue = "0",
      description = "Serve MCP (Model Context Protocol) for agents over streamable HTTP at /mcp on this port, on"
          + " the same host as Flight SQL, with bearer tokens. 0 (the default) leaves it off.")
  int mcpPort;

  @Option(names = "--mcp-calls-per-minute", defaultValue = "" + CallLimits.DEFAULT_CALLS_PER_MINUTE,
      description = "MCP tool calls one token may make per minute, in bursts of as many (default:"
          + " ${DEFAULT-VALUE}).")
  int mcpCallsPerMinute;

  @Option(names = "--mcp-concurrent-calls", defaultValue = "" + CallLimits.DEFAULT_CONCURRENT_CALLS,
      description = "MCP tool calls one token may have running at once (default: ${DEFAULT-VALUE}).")
  int mcpConcurrentCalls;

  @Option(names = "--auto-optimize",
      description = "Compact tables in the background: OPTIMIZE TABLE, as the user " + AccessControl.SYSTEM_USER
          + ", on each table of an unprotected branch holding --auto-optimize-files small files, when the branch"
          + " had no commit for --auto-optimize-quiet. Off by default.")
  boolean autoOptimize;

  @Option(names = "--auto-optimize-files", defaultValue = "" + AutoOptimizePolicy.DEFAULT_SMALL_FILES,
      description = "Small data files a table holds before --auto-optimize compacts it (default: ${DEFAULT-VALUE}).")
  int autoOptimizeFiles;

  @Option(names = "--auto-optimize-interval", defaultValue = "1m",
      description = "How often --auto-optimize looks at every branch, as in 30s or 5m (default: ${DEFAULT-VALUE}).")
  String autoOptimizeInterval;

  @Option(names = "--auto-optimize-quiet", defaultValue = "30s",
      description = "How long a branch must have had no commit before --auto-optimize touches it, as in 30s"
          + " (default: ${DEFAULT-VALUE}).")
  String autoOptimizeQuiet;

  @Option(names = "--memory-limit", defaultValue = "60%",
      description = "DuckDB memory limit, e.g. 8GB or 60%% (default: ${DEFAULT-VALUE}).")
  String memoryLimit;

  @Option(names = "--threads", description = "DuckDB worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--query-timeout", defaultValue = "600",
      description = "Seconds a statement may run before it is cancelled (default: ${DEFAULT-VALUE}).")
  long queryTimeoutSeconds;

  @Option(names = "--max-result-message-mb", paramLabel = "MB", defaultValue = "4",
      description = "Result batches are split so each streamed message stays under this size; clients refuse"
          + " messages over 16 MB by default (default: ${DEFAULT-VALUE}).")
  long maxResultMessageMb;

  @Option(names = "--max-sessions", paramLabel = "N", defaultValue = "1000",
      description = "Client sessions kept at once; past it new sessions are refused (default: ${DEFAULT-VALUE}).")
  int maxSessions;

  @Option(names = "--max-sessions-per-user", paramLabel = "N", defaultValue = "200",
      description = "Client sessions kept at once for one user (default: ${DEFAULT-VALUE}).")
  int maxSessionsPerUser;

  @Option(names = "--session-idle-minutes", paramLabel = "MIN", defaultValue = "30",
      description = "Minutes an unused session lasts; its open transaction is then rolled back"
          + " (default: ${DEFAULT-VALUE}).")
  long sessionIdleMinutes;

  @Option(names = "--max-failed-logins", paramLabel = "N", defaultValue = "10",
      description = "Failed logins from one client address within the window before its attempts are refused"
          + " (default: ${DEFAULT-VALUE}).")
  int maxFailedLogins;

  @Option(names = "--max-failed-logins-per-user", paramLabel = "N", defaultValue = "30",
      description = "Failed logins for one user name within the window before its attempts are refused"
          + " (default: ${DEFAULT-VALUE}).")
  int maxFailedLoginsPerUser;

  @Option(names = "--failed-login-window-seconds", paramLabel = "S", defaultValue = "60",
      description = "How long failed logins count, and attempts stay refused (default: ${DEFAULT-VALUE}).")
  long failedLoginWindowSeconds;

  @Option(names = "--max-statement-bytes", paramLabel = "BYTES", defaultValue = "1048576",
      description = "Largest SQL statement a client may send, in UTF-8 bytes; larger ones are refused before"
          + " parsing (default: ${DEFAULT-VALUE}, 1 MiB).")
  int maxStatementBytes;

  @Option(names = "--max-nesting-depth", paramLabel = "LEVELS", defaultValue = "256",
      description = "Deepest nesting of a client's statement (parentheses, brackets, CASE, chained UNIONs);"
          + " deeper ones are refused before parsing (default: ${DEFAULT-VALUE}).")
  int maxNestingDepth;

  @Option(names = "--max-parameter-mb", paramLabel = "MB", defaultValue = "64",
      description = "Bound parameter values one upload may bring (ADBC executemany, a JDBC batch), counted while"
          + " they are read; strings count their UTF-8 bytes, binaries their length, other values 16 bytes"
          + " (default: ${DEFAULT-VALUE}).")
  long maxParameterMb;

  @Option(names = "--max-parameter-rows", paramLabel = "N", defaultValue = "1000000",
      description = "Rows of bound parameter values one upload may bring (default: ${DEFAULT-VALUE}).")
  long maxParameterRows;
  @Option(names = "--audit-retention-days", paramLabel = "DAYS", defaultValue = "30",
      description = "Days audit records are kept in the audit folder of the warehouse's local folder; older ones"
          + " are deleted at start and daily (default: ${DEFAULT-VALUE}).")
  int auditRetentionDays;

  @Option(names = "--failed-run-branch-ttl", paramLabel = "TIME", defaultValue = "7d",
      description = "How long the branch a failed or cancelled pipeline run kept for inspection stays (hidden from"
          + " SHOW BRANCHES, listed by SHOW BRANCHES ALL) before it is dropped: a number with d, h, m or s, as in"
          + " 7d or 12h (default: ${DEFAULT-VALUE}).")
  String failedRunBranchTtl;

  @Override
  public Integer call() throws Exception {
    TarnServer server;
    try {
      server = TarnServer.start(toConfig());
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("tarn: " + e.getMessage());
      return 2;
    }
    try {
      if (icebergRestPort < 0 || icebergRestPort > 65535) {
        throw new IllegalArgumentException("--iceberg-rest-port must be a port from 1 to 65535, or 0 for off, not "
            + icebergRestPort);
      }
      if (icebergRestPort > 0) {
        server.serveIcebergRest(icebergRestPort);
      }
      if (mcpPort < 0 || mcpPort > 65535) {
        throw new IllegalArgumentException("--mcp-port must be a port from 1 to 65535, or 0 for off, not " + mcpPort);
      }
      if (mcpPort > 0) {
        server.serveMcp(mcpPort);
      }
    } catch (IllegalArgumentException | java.io.IOException e) {
      System.err.println("tarn: " + e.getMessage());
      server.close();
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tarn-shutdown"));
    printWelcome(server);
    server.awaitTermination();
    return 0;
  }

  /** {@code 7d}, {@code 12h}, {@code 30m} or {@code 45s}; the error names the option. */
  static Duration timeSpan(String option, String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})([dhms])").matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException(option + " takes a positive number with d, h, m or s, as in 7d or 12h, not '"
          + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  ServerConfig toConfig() {
    boolean objectStore = S3Storage.isObjectStore(warehouse);
    if (!objectStore && (s3Endpoint != null || s3Region != null || s3PathStyle || s3AccessKeyEnv != null
        || s3SecretKeyEnv != null || catalogDir != null || cacheDir != null)) {
      throw new IllegalArgumentException("--s3-*, --catalog-dir and --cache-dir apply to a warehouse on object storage"
          + " (--warehouse s3://bucket/prefix), not to the folder " + warehouse);
    }
    if (!objectStore && warehouse.contains("://")) {
      throw new IllegalArgumentException("the warehouse is a folder or s3://bucket/prefix, not " + warehouse);
    }
    // an object-store warehouse keeps only caches (and the embedded catalog) on this machine
    Path local = objectStore ? (cacheDir == null ? Path.of("./warehouse-cache") : cacheDir) : Path.of(warehouse);
    EngineConfig defaults = EngineConfig.defaults(local);
    EngineConfig engine = new EngineConfig(local, memoryLimit, threads == null ? defaults.threads() : threads,
        defaults.maxConcurrentExecutions(), defaults.admissionTimeout(), Duration.ofSeconds(queryTimeoutSeconds),
        defaults.batchRows());
    ServerConfig config = ServerConfig.local(local).withEngine(engine).withHost(host).withPort(port)
        .withMetricsPort(metricsPort).withCatalogUri(catalogUri).withProjectsRoot(projects)
        .withScanCacheBytes(scanCacheMb << 20)
        .withSessionLimits(new SessionLimits(maxSessions, maxSessionsPerUser, Duration.ofMinutes(sessionIdleMinutes)))
        .withLoginLimits(new LoginLimits(maxFailedLogins, maxFailedLoginsPerUser,
            Duration.ofSeconds(failedLoginWindowSeconds)))
        .withStatementLimits(maxStatementBytes, maxNestingDepth)
        .withAuditRetentionDays(auditRetentionDays)
        .withFailedRunBranchTtl(timeSpan("--failed-run-branch-ttl", failedRunBranchTtl))
        .withMcpCallLimits(new CallLimits(mcpCallsPerMinute, mcpConcurrentCalls))
        .withAutoOptimize(autoOptimize ? Optional.of(new AutoOptimizePolicy(autoOptimizeFiles,
            timeSpan("--auto-optimize-interval", autoOptimizeInterval),
            timeSpan("--auto-optimize-quiet", autoOptimizeQuiet))) : Optional.empty());
    if (maxResultMessageMb < 1 || maxResultMessageMb > 1024) {
      throw new IllegalArgumentException("--max-result-message-mb must be between 1 and 1024, not " + maxResultMessageMb);
    }
    config = config.withMaxResultMessageBytes(maxResultMessageMb << 20);
    if (maxParameterMb < 1 || maxParameterMb > 1 << 20) {
      throw new IllegalArgumentException("--max-parameter-mb must be between 1 and 1048576, not " + maxParameterMb);
    }
    config = config.withParameterLimits(new ParameterLimits(maxParameterMb << 20, maxParameterRows));
    if (objectStore) {
      S3Storage.Options s3 = S3Storage.Options.defaults().withEndpoint(s3Endpoint).withRegion(s3Region)
          .withPathStyle(s3PathStyle);
      if (s3AccessKeyEnv != null || s3SecretKeyEnv != null) {
        if (s3AccessKeyEnv == null || s3SecretKeyEnv == null) {
          throw new IllegalArgumentException("--s3-access-key-env and --s3-secret-key-env go together");
        }
        s3 = s3.withCredentials(requiredEnv(s3AccessKeyEnv, "--s3-access-key-env"),
            requiredEnv(s3SecretKeyEnv, "--s3-secret-key-env"));
      }
      config = config.withObjectStorage(new ObjectStorage(warehouse, s3,
          catalogDir == null ? Path.of("./warehouse-catalog") : catalogDir));
    }
    if (user != null || passwordEnv != null) {
      if (user == null || passwordEnv == null) {
        throw new IllegalArgumentException("--user and --password-env go together");
      }
      String password = System.getenv(passwordEnv);
      if (password == null) {
        throw new IllegalArgumentException("the environment variable " + passwordEnv + " (from --password-env) is not set");
      }
      config = config.withCredentials(new Credentials(user, password));
    }
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together");
      }
      config = config.withTls(new TlsFiles(tlsCert, tlsKey));
    }
    return config;
  }

  private static String requiredEnv(String variable, String option) {
    String value = System.getenv(variable);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("the environment variable " + variable + " (from " + option
          + ") is not set");
    }
    return value;
  }

  private static void printWelcome(TarnServer server) {
    boolean tls = server.config().tls().isPresent();
    boolean auth = server.config().credentials().isPresent();
    String grpc = (tls ? "grpc+tls://" : "grpc://") + server.host() + ":" + server.port();
    StringBuilder out = new StringBuilder();
    out.append("Tarn ").append(TarnServer.VERSION).append(" is serving the warehouse ")
        .append(server.config().warehouseLocation());
    server.config().objectStorage().ifPresent(o -> out.append(" (data file cache in ")
        .append(server.config().engine().warehouse()).append(server.config().catalogUri().isPresent() ? ""
            : ", catalog in " + o.catalogDir()).append(")"));
    out.append("\n\n");
    // Tarn's driver is plain on loopback and TLS elsewhere: say tls= only where this server differs
    String host = server.host();
    boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    String tlsOption = tls == loopback ? (tls ? "?tls=true" : "?tls=false") : "";
    String tarnUrl = "jdbc:tarn://" + host + ":" + server.port() + tlsOption;
    out.append("  JDBC (DBeaver, Tableau, sqlline), Tarn's driver jdbc-driver/target/tarn-jdbc-driver-")
        .append(TarnServer.VERSION).append(".jar, no JVM flags:\n");
    out.append("    ").append(tarnUrl).append(auth ? (tlsOption.isEmpty() ? "?" : "&") + "user=...&password=..." : "").append("\n");
    out.append("  (the stock Flight SQL JDBC driver, with --add-opens=java.base/java.nio=ALL-UNNAMED in its JVM: ")
        .append(server.jdbcUrl()).append(auth ? "&user=...&password=..." : "").append(")\n\n");
    out.append("  Python client (pip install './python/tarn-runtime[client]'):\n");
    out.append("    import tarn\n");
    out.append("    client = tarn.connect(\"").append(grpc).append("\"")
        .append(auth ? ", user=\"...\", password=\"...\"" : "").append(")\n");
    out.append("    print(client.query(\"SELECT 42\"))\n\n");
    out.append("  Python with ADBC (pip install adbc-driver-flightsql pyarrow):\n");
    out.append("    import adbc_driver_flightsql.dbapi as flight_sql\n");
    // The cookie keeps the connection's session (USE, temporary tables) from one statement to the next.
    out.append("    conn = flight_sql.connect(\"").append(grpc).append("\", db_kwargs={")
        .append(auth ? "\"username\": \"...\", \"password\": \"...\", " : "")
        .append("\"").append(SessionMiddleware.ADBC_COOKIE_OPTION).append("\": \"true\"})\n");
    out.append("    cur = conn.cursor()\n");
    out.append("    cur.execute(\"SELECT 42\")\n");
    out.append("    print(cur.fetch_arrow_table())\n\n");
    out.append("  CLI:\n    ./tarn sql --url ").append(grpc).append(" -e \"SELECT 42\"\n");
    if (server.icebergRestPort() >= 0) {
      out.append("\n  Iceberg REST catalog (Spark, Trino, PyIceberg; warehouse = a branch or tag): http://")
          .append(server.host()).append(":").append(server.icebergRestPort()).append("/\n");
    }
    if (server.mcpPort() >= 0) {
      out.append("\n  MCP for agents (streamable HTTP; branch, query and write tools): http://")
          .append(server.host()).append(":").append(server.mcpPort()).append("/mcp\n");
    }
    if (server.metricsPort() >= 0) {
      out.append("\n  Metrics: http://").append(server.host()).append(":").append(server.metricsPort())
          .append("/metrics\n");
    }
    System.out.println(out);
    System.out.flush();
  }
}
