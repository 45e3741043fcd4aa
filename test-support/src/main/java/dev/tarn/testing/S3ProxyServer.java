package dev.tarn.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for tests: s3proxy (its jar copied into {@code
 * test-support/target/s3proxy/} by the build) with the filesystem backend, started with {@code
 * java -jar} on a free loopback port, answering signed requests for one access key. Buckets are
 * folders under the data directory, so {@code createBucket} is making one. When the jar is
 * missing, {@link #start} skips the calling tests saying why.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** The jar; set by the build (surefire). */
  public static final String JAR_PROPERTY = "tarn.s3proxy.jar";
  public static final String ACCESS_KEY = "tarn-test-key";
  public static final String SECRET_KEY = "tarn-test-secret";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final URI endpoint;
  private final Path data;

  private S3ProxyServer(Process process, URI endpoint, Path data) {
    this.process = process;
    this.endpoint = endpoint;
    this.data = data;
  }

  /** Starts a server keeping its buckets under {@code directory}, or skips the calling tests. */
  public static S3ProxyServer start(Path directory) {
    String jar = System.getProperty(JAR_PROPERTY);
    assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "s3proxy jar not found (" + JAR_PROPERTY + "="
        + jar + "); run the test through Maven, which copies it to test-support/target/s3proxy/s3proxy.jar");
    try {
      int port = freePort();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Path data = Files.createDirectories(directory.resolve("s3-data"));
      Path properties = directory.resolve("s3proxy.properties");
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=" + endpoint,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + ACCESS_KEY,
          "s3proxy.credential=" + SECRET_KEY,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + data) + "\n");
      Path log = Path.of(jar).resolveSibling("s3proxy-" + port + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", properties.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!listening(port)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("s3proxy exited with " + process.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("s3proxy did not listen on " + endpoint + " within "
              + START_TIMEOUT.toSeconds() + " s; see " + log);
        }
        Thread.sleep(50);
      }
      return new S3ProxyServer(process, endpoint, data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start s3proxy", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting s3proxy", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Makes an empty bucket (a folder of the filesystem backend). */
  public void createBucket(String name) {
    try {
      Files.createDirectories(data.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create bucket " + name, e);
    }
  }

  /** The keys of the objects in {@code bucket} under {@code prefix}, read from the backend's folders. */
  public List<String> keys(String bucket, String prefix) {
    Path root = data.resolve(bucket);
    try (var files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(k -> k.startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list bucket " + bucket, e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
