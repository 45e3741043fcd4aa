package dev.tarn.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** A real Tarn server on a free loopback port with a fresh warehouse, for tests. */
public final class RunningServer implements AutoCloseable {
  private final TarnServer server;
  private final Path warehouse;

  private RunningServer(TarnServer server, Path warehouse) {
    this.server = server;
    this.warehouse = warehouse;
  }

  public static RunningServer start() {
    return start(c -> c);
  }

  public static RunningServer start(UnaryOperator<ServerConfig> customize) {
    try {
      Path warehouse = Files.createTempDirectory("tarn-test-warehouse");
      ServerConfig config = customize.apply(ServerConfig.local(warehouse));
      return new RunningServer(TarnServer.start(config), warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TarnServer server() {
    return server;
  }

  public Path warehouse() {
    return warehouse;
  }

  /** The Parquet data files in the warehouse's table folders, in no particular order. */
  public List<Path> dataFiles() {
    try (Stream<Path> files = Files.walk(warehouse.resolve("tables"))) {
      return files.filter(f -> f.toString().endsWith(".parquet")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.port();
  }

  public String jdbcUrl() {
    return server.jdbcUrl();
  }

  /** A connection through the stock Arrow Flight SQL JDBC driver, as DBeaver makes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), new Properties());
  }

  public Connection connect(Properties properties) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), properties);
  }

  @Override
  public void close() {
    server.close();
    try (var files = Files.walk(warehouse)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
