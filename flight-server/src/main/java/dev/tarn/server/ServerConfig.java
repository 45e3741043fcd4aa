package dev.tarn.server;

import dev.tarn.executor.EngineConfig;
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
 * @param sessionIdleTimeout how long an idle session keeps its state and connections
 * @param catalogUri a Nessie server's REST API v2 address, or empty for the embedded catalog
 */
public record ServerConfig(
    String host,
    int port,
    EngineConfig engine,
    Optional<Credentials> credentials,
    Optional<TlsFiles> tls,
    int metricsPort,
    Duration tokenLifetime,
    Duration sessionIdleTimeout,
    Optional<java.net.URI> catalogUri) {

  public static final int DEFAULT_PORT = 31337;
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
        -1, Duration.ofHours(12), Duration.ofMinutes(30), Optional.empty());
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, engine, credentials, tls, metricsPort, tokenLifetime, sessionIdleTimeout, catalogUri);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionIdleTimeout, catalogUri);
  }

  public ServerConfig withCredentials(Credentials newCredentials) {
    return new ServerConfig(host, port, engine, Optional.ofNullable(newCredentials), tls, metricsPort, tokenLifetime,
        sessionIdleTimeout, catalogUri);
  }

  public ServerConfig withTls(TlsFiles newTls) {
    return new ServerConfig(host, port, engine, credentials, Optional.ofNullable(newTls), metricsPort, tokenLifetime,
        sessionIdleTimeout, catalogUri);
  }

  public ServerConfig withMetricsPort(int newMetricsPort) {
    return new ServerConfig(host, port, engine, credentials, tls, newMetricsPort, tokenLifetime, sessionIdleTimeout, catalogUri);
  }

  /** Version tables in a Nessie server instead of the embedded catalog. */
  public ServerConfig withCatalogUri(java.net.URI uri) {
    return new ServerConfig(host, port, engine, credentials, tls, metricsPort, tokenLifetime, sessionIdleTimeout,
        Optional.ofNullable(uri));
  }

  public ServerConfig withEngine(EngineConfig newEngine) {
    return new ServerConfig(host, port, newEngine, credentials, tls, metricsPort, tokenLifetime, sessionIdleTimeout, catalogUri);
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
}
