package dev.tarn.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Tarn server in a process of its own, as clients meet it: {@code java -jar tarn-flight-server.jar
 * serve} on a warehouse folder, on loopback without a password, metrics off. Benchmarks measure
 * Tarn through its clients and never load the server's classes.
 */
public final class ServerProcess implements AutoCloseable {
  /** The server jar, relative to the repository root. */
  public static final String JAR = "flight-server/target/tarn-flight-server-0.1.0-SNAPSHOT.jar";
  public static final String HOST = "127.0.0.1";
  /** A server that has not answered by then has failed to start. */
  public static final long GIVE_UP_SECONDS = 60;
  private static final int POLL_MILLIS = 10;

  private final Process process;
  private final int port;
  private final Path log;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a server on {@code warehouse} and returns once it answers {@code SELECT 1}. */
  public static ServerProcess start(Path jar, Path warehouse) throws IOException, InterruptedException {
    Files.createDirectories(warehouse);
    Path log = Files.createTempFile("tarn-bench-server-", ".log");
    int port = freePort();
    Process process = new ProcessBuilder(command(jar, port, warehouse)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(process, port, log);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
      while (!accepts(port)) {
        check(process, deadline, log, "open its port");
        Thread.sleep(POLL_MILLIS);
      }
      while (!answers(server.jdbcUrl())) {
        check(process, deadline, log, "answer SELECT 1");
        Thread.sleep(POLL_MILLIS);
      }
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The command line that serves {@code warehouse} on {@code port}, as the tarn launcher would. */
  public static List<String> command(Path jar, int port, Path warehouse) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    if (Runtime.version().feature() >= 24) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
      cmd.add("--sun-misc-unsafe-memory-access=allow");
    }
    cmd.addAll(Profiler.serverOptions(port));
    cmd.addAll(List.of("-jar", jar.toString(), "serve", "--port", Integer.toString(port), "--warehouse",
        warehouse.toString(), "--metrics-port", "-1"));
    return cmd;
  }

  /** The server jar: {@code --set jar=...}, else under the working folder or its parent (tests run in benchmarks/). */
  public static Path jar(String given) {
    if (given != null) {
      Path p = Path.of(given);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("--set jar: no such file " + p);
      }
      return p.toAbsolutePath().normalize();
    }
    for (Path candidate : List.of(Path.of(JAR), Path.of("..").resolve(JAR))) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("no " + JAR + " here or in the parent folder: build first (./tarn build),"
        + " or give it with --set jar=PATH");
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public String jdbcUrl() {
    return "jdbc:arrow-flight-sql://" + HOST + ":" + port + "/?useEncryption=false";
  }

  /** Stops the server (SIGTERM, then SIGKILL after 15 s). */
  @Override
  public void close() {
    try {
      stop(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.deleteQuietly(log);
    }
  }

  public static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Fails, with the server's last output lines, when it exited or the deadline passed. */
  public static void check(Process process, long deadline, Path output, String what) throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("the server exited with status " + process.exitValue() + " before it could "
          + what + "; its output:\n" + tail(output));
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("the server did not " + what + " within " + GIVE_UP_SECONDS + " s; its output:\n"
          + tail(output));
    }
  }

  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static boolean answers(String url) {
    try (Connection c = DriverManager.getConnection(url, new Properties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  private static String tail(Path output) throws IOException {
    if (!Files.exists(output)) {
      return "(none)";
    }
    List<String> lines = Files.readAllLines(output);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }
}
