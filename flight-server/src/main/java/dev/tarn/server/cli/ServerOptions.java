package dev.tarn.server.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.auth2.ClientBearerHeaderHandler;
import org.apache.arrow.flight.auth2.ClientIncomingAuthHeaderMiddleware;
import org.apache.arrow.flight.client.ClientCookieMiddleware;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import picocli.CommandLine.Option;

/** How the client commands ({@code tarn sql}, {@code tarn run}) reach and log in to a server. */
final class ServerOptions {
  static final String TOKEN_VARIABLE = "TARN_TOKEN";

  @Option(names = "--url", defaultValue = "grpc://127.0.0.1:31337",
      description = "Server: grpc://host:port, grpc+tls://host:port, or a jdbc:arrow-flight-sql:// URL"
          + " (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--user", description = "User name, when the server requires a password.")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password.")
  String passwordEnv;

  @Option(names = "--token", paramLabel = "TOKEN", description = "An API token (CREATE TOKEN) or login token,"
      + " sent as a bearer token; default: the " + TOKEN_VARIABLE + " environment variable, which is the better"
      + " place for it (command lines show in process lists).")
  String token;

  @Option(names = "--tls-skip-verify", description = "Accept any server certificate (self-signed test servers).")
  boolean skipVerify;

  /** A client with cookies (the server's session) and, with --user, bearer tokens. */
  ServerConnection connect(BufferAllocator allocator) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
    // schemes are case-insensitive (RFC 3986): GRPC+TLS must not fall back to plain text
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
    boolean tls = scheme.equals("grpc+tls")
        || (scheme.equals("arrow-flight-sql") && !String.valueOf(uri.getQuery()).contains("useEncryption=false"));
    List<FlightClientMiddleware.Factory> middleware = new ArrayList<>();
    middleware.add(new ClientCookieMiddleware.Factory());
    if (user != null) {
      middleware.add(new ClientIncomingAuthHeaderMiddleware.Factory(new ClientBearerHeaderHandler()));
    }
    return ServerConnection.open(allocator, uri.getHost(), uri.getPort(), tls, !(tls && skipVerify), middleware);
  }

  /**
   * Logs in when --user is given, or sends the bearer token of --token (or TARN_TOKEN); the options carry
   * the credentials for every later call. An explicit --user wins over a token from the environment.
   */
  List<CallOption> login(FlightClient client) {
    List<CallOption> options = new ArrayList<>();
    if (user != null && token != null) {
      throw new IllegalArgumentException("give either --user or --token, not both");
    }
    String bearer = user != null ? null : token != null ? token : System.getenv(TOKEN_VARIABLE);
    if (bearer != null && !bearer.isBlank()) {
      options.add(new CredentialCallOption(new BearerCredentialWriter(bearer.strip())));
    }
    if (user != null) {
      String password = passwordEnv == null ? "" : System.getenv(passwordEnv);
      if (password == null) {
        throw new IllegalArgumentException("the environment variable " + passwordEnv + " is not set");
      }
      client.authenticateBasicToken(user, password).ifPresent(options::add);
    }
    return options;
  }
}
