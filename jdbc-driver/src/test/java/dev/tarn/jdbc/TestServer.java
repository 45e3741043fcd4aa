package dev.tarn.jdbc;

import dev.tarn.server.ServerConfig;
import dev.tarn.server.TarnServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.function.UnaryOperator;

/** A real Tarn server on a free loopback port with a fresh warehouse, in the test JVM. */
final class TestServer implements AutoCloseable {
  private final TarnServer server;
  private final Path warehouse;

  private TestServer(TarnServer server, Path warehouse) {
    this.server = server;
    this.warehouse = warehouse;
  }

  static TestServer start() {
    return start(c -> c);
  }

  static TestServer start(UnaryOperator<ServerConfig> customize) {
    try {
      Path warehouse = Files.createTempDirectory("tarn-jdbc-test-warehouse");
      return new TestServer(TarnServer.start(customize.apply(ServerConfig.local(warehouse))), warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.port();
  }

  /** {@code jdbc:tarn://127.0.0.1:PORT} plus {@code rest} (a path and/or query). */
  String url(String rest) {
    return "jdbc:tarn://127.0.0.1:" + port() + rest;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url(""));
  }

  Connection connect(String rest) throws SQLException {
    return DriverManager.getConnection(url(rest));
  }

  @Override
  public void close() {
    server.close();
    try (var files = Files.walk(warehouse)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
