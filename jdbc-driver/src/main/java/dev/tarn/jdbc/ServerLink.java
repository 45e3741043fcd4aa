package dev.tarn.jdbc;

import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The wire to one Tarn server: a Flight SQL client that keeps the server's session cookie and
 * sends the connection's credentials with every call. One per JDBC connection.
 */
final class ServerLink implements AutoCloseable {
  private final TarnUrl url;
  private final BufferAllocator allocator;
  private final FlightClient flight;
  private final FlightSqlClient sql;
  private final Optional<CallOption> credentials;
  private final ErrorTranslator errors;

  private ServerLink(TarnUrl url, BufferAllocator allocator, FlightClient flight, Optional<CallOption> credentials) {
    this.url = url;
    this.allocator = allocator;
    this.flight = flight;
    this.sql = new FlightSqlClient(flight);
    this.credentials = credentials;
    this.errors = new ErrorTranslator(url.address());
  }

  /** Connects and logs in; a refused login fails here, naming the user and the server. */
  static ServerLink open(TarnUrl url) throws SQLException {
    BufferAllocator allocator = ArrowMemory.rootAllocator();
    FlightClient flight = null;
    try {
      Location location = url.tls() ? Location.forGrpcTls(url.host(), url.port())
          : Location.forGrpcInsecure(url.host(), url.port());
      FlightClient.Builder builder = FlightClient.builder(allocator, location)
          .intercept(new ClientCookieMiddleware.Factory());
      if (url.tls()) {
        builder.verifyServer(url.verifyServer());
        if (url.trustedCertificates().isPresent()) {
          builder.trustedCertificates(new java.io.ByteArrayInputStream(readCertificates(url)));
        }
      }
      flight = builder.build();
      Optional<CallOption> credentials = login(flight, url);
      return new ServerLink(url, allocator, flight, credentials);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(flight);
      allocator.close();
      throw e;
    }
  }

  private static byte[] readCertificates(TarnUrl url) throws SQLException {
    java.nio.file.Path file = java.nio.file.Path.of(url.trustedCertificates().get());
    try {
      return java.nio.file.Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot read trustedCertificates file " + file + ": " + e, "08001", e);
    }
  }

  private static Optional<CallOption> login(FlightClient flight, TarnUrl url) throws SQLException {
    if (url.token().isPresent()) {
      return Optional.of(new CredentialCallOption(new BearerCredentialWriter(url.token().get())));
    }
    if (url.user().isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<CredentialCallOption> bearer = flight.authenticateBasicToken(url.user().get(),
          url.password().orElse(""));
      return bearer.map(option -> option);
    } catch (FlightRuntimeException e) {
      if (e.status().code() == FlightStatusCode.UNAUTHENTICATED) {
        throw new SQLInvalidAuthorizationSpecException("wrong user or password for user " + url.user().get()
            + " at " + url.address(), "28000", e);
      }
      throw new ErrorTranslator(url.address()).translate(e);
    }
  }

  /** Call options: the credentials, plus a deadline when {@code timeoutSeconds} is positive. */
  CallOption[] options(int timeoutSeconds) {
    CallOption[] options = new CallOption[(credentials.isPresent() ? 1 : 0) + (timeoutSeconds > 0 ? 1 : 0)];
    int i = 0;
    if (credentials.isPresent()) {
      options[i++] = credentials.get();
    }
    if (timeoutSeconds > 0) {
      options[i] = CallOptions.timeout(timeoutSeconds, TimeUnit.SECONDS);
    }
    return options;
  }

  CallOption[] options() {
    return options(0);
  }

  FlightSqlClient sql() {
    return sql;
  }

  BufferAllocator allocator() {
    return allocator;
  }

  ErrorTranslator errors() {
    return errors;
  }

  TarnUrl url() {
    return url;
  }

  /** The first endpoint's stream; Tarn answers every call with one endpoint on this connection. */
  FlightStream stream(FlightInfo info, int timeoutSeconds) throws SQLException {
    if (info.getEndpoints().isEmpty()) {
      throw new SQLException("the server answered with no result endpoint", "XX000");
    }
    return sql.getStream(info.getEndpoints().get(0).getTicket(), options(timeoutSeconds));
  }

  /**
   * A login refusal on the first call of a connection without credentials, or with a token,
   * said plainly.
   */
  SQLException loginRefused(FlightRuntimeException e) {
    if (url.token().isPresent()) {
      return new SQLInvalidAuthorizationSpecException("token refused by the Tarn server at " + url.address()
          + ": " + e.status().description(), "28000", e);
    }
    return new SQLInvalidAuthorizationSpecException("the Tarn server at " + url.address()
        + " requires a login: give user and password, or token", "28000", e);
  }

  @Override
  public void close() {
    try {
      sql.closeSession(new CloseSessionRequest(), options(5));
    } catch (RuntimeException e) {
      // the server forgets an idle session on its own; closing must not fail on a gone server
    }
    closeQuietly(flight);
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      // a batch still referenced by an abandoned stream: its memory goes with the allocator regardless
    }
  }

  private static void closeQuietly(FlightClient flight) {
    if (flight != null) {
      try {
        flight.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        // nothing more to release
      }
    }
  }
}
