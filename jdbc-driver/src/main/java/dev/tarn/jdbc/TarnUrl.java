package dev.tarn.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Where and how to connect, parsed from {@code jdbc:tarn://host[:port][/branch][?key=value&...]}
 * and the connection's {@link Properties} (the URL's query wins over a property of the same name).
 *
 * @param tls encrypt the connection: plain on loopback, TLS elsewhere, unless {@code tls=} says
 * @param branch the branch or tag the connection starts on, when the URL or {@code branch=} names one
 * @param trustedCertificates a PEM file of certificates to trust instead of the JVM's trust store
 *     (a server with a self-signed certificate)
 * @param verifyServer false skips checking the server's certificate: encrypted, but not safe from
 *     impersonation; for tests only
 */
public record TarnUrl(String host, int port, Optional<String> branch, Optional<String> user,
    Optional<String> password, Optional<String> token, boolean tls, Optional<String> schema,
    Optional<String> trustedCertificates, boolean verifyServer) {
  public static final String PREFIX = "jdbc:tarn://";
  /** The port a Tarn server listens on unless told otherwise. */
  public static final int DEFAULT_PORT = 31337;
  static final Set<String> KEYS = Set.of("user", "password", "token", "tls", "schema", "branch",
      "trustedcertificates", "verifyserver");

  public TarnUrl {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the URL names no host: " + PREFIX + "host[:port][/branch]");
    }
  }

  public static boolean accepts(String url) {
    return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  public static TarnUrl parse(String url, Properties properties) throws SQLException {
    if (!accepts(url)) {
      throw new SQLException("not a Tarn URL: " + shown(url) + " (expected " + PREFIX + "host[:port][/branch])", "08001");
    }
    String rest = url.substring(PREFIX.length());
    Map<String, String> options = new LinkedHashMap<>();
    if (properties != null) {
      for (String name : properties.stringPropertyNames()) {
        options.put(name.toLowerCase(java.util.Locale.ROOT), properties.getProperty(name));
      }
    }
    int query = rest.indexOf('?');
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq), "an option name").toLowerCase(java.util.Locale.ROOT);
        if (!KEYS.contains(key)) {
          throw new SQLException("unknown URL option '" + key + "'; known: " + String.join(", ", new java.util.TreeSet<>(KEYS)),
              "08001");
        }
        options.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1), "the value of " + key));
      }
      rest = rest.substring(0, query);
    }
    String authority = rest;
    String branch = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      authority = rest.substring(0, slash);
      String path = decode(rest.substring(slash + 1), "the branch");
      branch = path.isEmpty() ? null : path;
    }
    if (authority.indexOf('@') >= 0) {
      throw new SQLException("a Tarn URL takes the user and password as ?user=...&password=... (or connection"
          + " properties), not before the host: " + shown(url), "08001");
    }
    String host;
    int port = DEFAULT_PORT;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new SQLException("unclosed [ in the URL's IPv6 host: " + shown(url), "08001");
      }
      host = authority.substring(1, close);
      if (authority.length() > close + 1) {
        port = port(authority.substring(close + 1), url);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      if (colon >= 0) {
        port = port(authority.substring(colon), url);
      }
    }
    if (host.isEmpty()) {
      throw new SQLException("the URL names no host: " + shown(url) + " (expected " + PREFIX + "host[:port][/branch])",
          "08001");
    }
    if (branch == null) {
      branch = blankToNull(options.get("branch"));
    }
    boolean encrypted = flag(options.get("tls"), "tls", !isLoopback(host));
    return new TarnUrl(host, port, Optional.ofNullable(branch), Optional.ofNullable(blankToNull(options.get("user"))),
        Optional.ofNullable(options.get("password")), Optional.ofNullable(blankToNull(options.get("token"))),
        encrypted, Optional.ofNullable(blankToNull(options.get("schema"))),
        Optional.ofNullable(blankToNull(options.get("trustedcertificates"))),
        flag(options.get("verifyserver"), "verifyServer", true));
  }

  private static boolean flag(String value, String name, boolean unset) throws SQLException {
    if (value == null || value.isEmpty()) {
      return unset;
    }
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new SQLException(name + " must be true or false, not '" + value + "'", "08001");
  }

  /** localhost, 127.0.0.0/8 and ::1: the only hosts reached without TLS by default. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    // an address, never a name that merely starts like one (127.example.net is anywhere)
    return h.equals("localhost") || LOOPBACK_V4.matcher(h).matches() || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }

  private static final java.util.regex.Pattern LOOPBACK_V4 =
      java.util.regex.Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
  private static final java.util.regex.Pattern SECRETS =
      java.util.regex.Pattern.compile("(?i)((?:password|token)=)[^&]*|(//)[^/?@]*@");

  /** The URL as an error message may show it: passwords and tokens replaced by ***. */
  static String shown(String url) {
    return SECRETS.matcher(url).replaceAll(m -> m.group(1) != null ? m.group(1) + "***" : "//***@");
  }

  private static int port(String colonAndPort, String url) throws SQLException {
    String digits = colonAndPort.startsWith(":") ? colonAndPort.substring(1) : colonAndPort;
    try {
      int port = Integer.parseInt(digits);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new SQLException("the URL's port must be a number from 1 to 65535, not '" + digits + "': " + shown(url),
          "08001");
    }
  }

  /** Percent-decoding only: a '+' stays a '+' (form encoding would make it a space, changing a password). */
  private static String decode(String text, String what) throws SQLException {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new SQLException("the URL's " + what + " has a malformed %-escape (write % itself as %25)", "08001");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** host:port as people write it, for messages. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The URL without secrets, for messages and DatabaseMetaData.getURL(). */
  public String display() {
    return PREFIX + address() + branch.map(b -> "/" + b).orElse("");
  }
}
