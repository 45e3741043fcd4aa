package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL in the middle of a stream of INSERTs, then restarted on the same
 * warehouse, has every acknowledged commit and no partial one.
 */
class CrashRecoveryTest {

  @Test
  void sigkillDuringInsertsLosesNoAcknowledgedCommit(@TempDir Path warehouse) throws Exception {
    int port = freePort();
    Process server = startServer(warehouse, port);
    List<Integer> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      String url = "jdbc:arrow-flight-sql://127.0.0.1:" + port + "/?useEncryption=false";
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE crash (batch INTEGER, item INTEGER)");
        // The kill comes once a few inserts were acknowledged (however slow a loaded machine makes
        // them), at a moment that falls anywhere inside a later insert.
        Thread killer = new Thread(() -> {
          try {
            while (acknowledged.size() < 5 && server.isAlive()) {
              Thread.sleep(5);
            }
            Thread.sleep(new java.util.Random().nextInt(500));
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
          server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        });
        killer.start();
        for (int batch = 0; batch < 100_000; batch++) {
          try {
            s.executeUpdate("INSERT INTO crash VALUES (" + batch + ", 1), (" + batch + ", 2), (" + batch + ", 3)");
            acknowledged.add(batch);
          } catch (SQLException killed) {
            break;
          }
        }
        killer.join();
      } catch (SQLException closedUnderUs) {
        // the connection may fail while closing against a dead server
      }
      assertTrue(server.waitFor(10, TimeUnit.SECONDS));
      assertTrue(acknowledged.size() >= 5, "some inserts were acknowledged before the kill: " + acknowledged.size());
    } finally {
      server.destroyForcibly();
    }

    int port2 = freePort();
    Process restarted = startServer(warehouse, port2);
    try (Connection c = DriverManager.getConnection("jdbc:arrow-flight-sql://127.0.0.1:" + port2
        + "/?useEncryption=false"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT batch, count(*) FROM crash GROUP BY batch")) {
      Map<Integer, Long> rows = new HashMap<>();
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getLong(2));
      }
      for (int batch : acknowledged) {
        assertEquals(3L, rows.get(batch), "acknowledged batch " + batch + " is complete");
      }
      rows.forEach((batch, count) -> assertEquals(3L, count, "batch " + batch + " is all or nothing"));
      assertTrue(rows.size() <= acknowledged.size() + 1, "at most the one unacknowledged insert landed");
    } finally {
      restarted.destroy();
      restarted.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static Process startServer(Path warehouse, int port) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), "dev.tarn.server.cli.TarnCli", "serve",
        "--port", String.valueOf(port), "--warehouse", warehouse.toString(), "--metrics-port", "-1")
        .redirectErrorStream(true)
        .redirectOutput(warehouse.resolveSibling(warehouse.getFileName() + "-server-" + port + ".log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return p;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IllegalStateException("the server process exited with " + p.exitValue());
        }
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("the server did not start within 60 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
