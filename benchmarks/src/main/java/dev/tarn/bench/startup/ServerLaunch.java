package dev.tarn.bench.startup;

import dev.tarn.bench.ServerProcess;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.WrongAnswerException;
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

/** One B8 launch: a new server process on a new warehouse, timed until it answers, then stopped. */
final class ServerLaunch {
  static final int POLL_MILLIS = 10;

  /**
   * @param portSeconds from process start until the Flight port accepted a TCP connection
   * @param answerSeconds from process start until {@code SELECT 1} returned 1
   * @param rssBytes the server's VmRSS right after the first answer
   * @param peakRssBytes its VmHWM (peak resident set) at that moment
   */
  record Outcome(double portSeconds, double answerSeconds, long rssBytes, long peakRssBytes) {}

  private ServerLaunch() {}

  static List<String> command(Path jar, int port, Path warehouse) {
    return ServerProcess.command(jar, port, warehouse);
  }

  static Outcome measure(Path jar) throws Exception {
    Path dir = Files.createTempDirectory("tarn-bench-startup-");
    Path warehouse = dir.resolve("warehouse");
    Path output = dir.resolve("server.log");
    int port = ServerProcess.freePort();
    ProcessBuilder builder = new ProcessBuilder(command(jar, port, warehouse))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    Process process = null;
    try {
      long start = System.nanoTime();
      process = builder.start();
      long deadline = start + TimeUnit.SECONDS.toNanos(ServerProcess.GIVE_UP_SECONDS);
      while (!ServerProcess.accepts(port)) {
        ServerProcess.check(process, deadline, output, "open its port");
        Thread.sleep(POLL_MILLIS);
      }
      double portSeconds = (System.nanoTime() - start) / 1e9;
      String url = "jdbc:arrow-flight-sql://127.0.0.1:" + port + "/?useEncryption=false";
      while (true) {
        try (Connection c = DriverManager.getConnection(url, new Properties());
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT 1")) {
          if (!rs.next() || rs.getInt(1) != 1) {
            throw new WrongAnswerException("SELECT 1 on a fresh server did not return 1");
          }
          break;
        } catch (SQLException e) {
          ServerProcess.check(process, deadline, output, "answer SELECT 1 (last error: " + e.getMessage() + ")");
          Thread.sleep(POLL_MILLIS);
        }
      }
      double answerSeconds = (System.nanoTime() - start) / 1e9;
      long[] memory = residentMemory(process.pid());
      return new Outcome(portSeconds, answerSeconds, memory[0], memory[1]);
    } finally {
      if (process != null) {
        ServerProcess.stop(process);
      }
      TempDirs.deleteQuietly(dir);
    }
  }

  /** VmRSS and VmHWM of a process in bytes, from /proc (Linux); -1 each where unreadable. */
  static long[] residentMemory(long pid) {
    long[] memory = {-1, -1};
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          memory[0] = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          memory[1] = kib(line);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone: memory unknown
    }
    return memory;
  }

  /** {@code VmRSS:	  123456 kB} as bytes. */
  static long kib(String line) {
    String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
    return Long.parseLong(parts[0]) * 1024;
  }

}
