package dev.tarn.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.projectnessie.client.NessieClientBuilder;
import org.projectnessie.client.api.NessieApiV2;
import org.projectnessie.model.Branch;
import org.projectnessie.model.Detached;
import org.projectnessie.model.Reference;

/**
 * A real Nessie server for tests: the {@code nessie-quarkus} runner jar (copied into {@code
 * test-support/target/nessie-server/} by the build) started with {@code java -jar} on a free loopback port,
 * with the in-memory version store and nothing that reaches the network. The runner needs Java
 * 21+; the build itself may run on 17, so a suitable {@code java} is looked for on the machine.
 * When there is none, or no runner jar, {@link #start()} skips the calling tests with a message
 * saying why.
 */
public final class NessieTestServer implements AutoCloseable {
  /** Explicit {@code java} (or JDK home) for the server; else it is looked for. */
  static final String JAVA_PROPERTY = "tarn.nessie.java";
  /** The runner jar; set by the build (surefire). */
  static final String RUNNER_PROPERTY = "tarn.nessie.runner";
  private static final int MIN_JAVA = 21;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:[.\"\\-+])");

  private final Process process;
  private final Thread killer;
  private final URI apiV2;
  private final Path log;
  private final Duration startup;
  private final String java;

  private NessieTestServer(Process process, Thread killer, URI apiV2, Path log, Duration startup,
      String java) {
    this.process = process;
    this.killer = killer;
    this.apiV2 = apiV2;
    this.log = log;
    this.startup = startup;
    this.java = java;
  }

  /** Starts a server, or skips the calling tests (JUnit assumption) saying what is missing. */
  public static NessieTestServer start() {
    Path runner = runnerJar();
    assumeTrue(runner != null, "Nessie server tests skipped: no runner jar (the build copies"
        + " org.projectnessie.nessie:nessie-quarkus:runner to test-support/target/nessie-server/;"
        + " run through Maven, or set -D" + RUNNER_PROPERTY + "=<jar>)");
    Optional<Jdk> java = findJava();
    String explicit = explicitJava();
    assumeTrue(java.isPresent(), "Nessie server tests skipped: the Nessie server needs Java "
        + MIN_JAVA + "+ and "
        + (explicit != null ? explicit + " (-D" + JAVA_PROPERTY + " or TARN_NESSIE_JAVA) is not"
            + " one; point it at a Java " + MIN_JAVA + "+ java or JDK home"
            : "none was found (looked at this JVM (" + Runtime.version().feature()
                + "), JAVA_HOME, JAVA21_HOME.., /usr/lib/jvm/*, /usr/java/*, /opt/java/*);"
                + " install one or set -D" + JAVA_PROPERTY + "=<path to java or JDK home>"));

    int port = freePort();
    int managementPort = freePort();
    Path log = runner.getParent().resolve("nessie-server.log");
    Jdk jdk = java.get();
    List<String> command = List.of(
        jdk.java(),
        "-Xmx512m",
        "-XX:TieredStopAtLevel=1", // C1 only: starts in half the time, fast enough for tests
        // Class data sharing: the first start writes an archive, later ones start in half the time.
        "-XX:+AutoCreateSharedArchive",
        "-XX:SharedArchiveFile=" + runner.resolveSibling(
            "nessie-runner-java" + jdk.version() + ".jsa"),
        "-Dnessie.version.store.type=IN_MEMORY",
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + port,
        "-Dquarkus.management.host=127.0.0.1",
        "-Dquarkus.management.port=" + managementPort,
        "-Dquarkus.http.access-log.enabled=false",
        "-Dquarkus.otel.sdk.disabled=true",
        "-Dquarkus.log.sentry=false",
        "-Dquarkus.google.cloud.enable-metadata-server=false",
        "-Dnessie.server.authentication.enabled=false",
        "-Dnessie.server.authorization.enabled=false",
        "-jar", runner.toString());
    long t0 = System.nanoTime();
    Process process;
    try {
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    URI apiV2 = URI.create("http://127.0.0.1:" + port + "/api/v2");
    Thread killer = new Thread(process::destroyForcibly, "stop-nessie-server-" + port);
    Runtime.getRuntime().addShutdownHook(killer); // if @AfterAll never runs
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest config = HttpRequest.newBuilder(URI.create(apiV2 + "/config"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = t0 + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the Nessie server exited with " + process.exitValue()
            + " before answering; its output:\n" + tail(log));
      }
      try {
        HttpResponse<String> r = http.send(config, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"defaultBranch\"")) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while waiting for the Nessie server", e);
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the Nessie server did not answer " + config.uri()
            + " within " + START_TIMEOUT.toSeconds() + " s; its output:\n" + tail(log));
      }
      sleep(50);
    }
    return new NessieTestServer(
        process, killer, apiV2, log, Duration.ofNanos(System.nanoTime() - t0), jdk.toString());
  }

  /** The server's REST API v2 address. */
  public URI apiV2() {
    return apiV2;
  }

  /** From {@code java -jar} to the first answer of {@code /api/v2/config}. */
  public Duration startup() {
    return startup;
  }

  /** The runtime the server runs on. */
  public String java() {
    return java;
  }

  public Path log() {
    return log;
  }

  /**
   * Empties the repository: drops every reference but {@code main} and points {@code main} at the
   * beginning of history, as on a new server.
   */
  public void reset() {
    try (NessieApiV2 api = NessieClientBuilder.createClientBuilder("HTTP", null)
        .withUri(apiV2).build(NessieApiV2.class)) {
      String beginning = api.getConfig().getNoAncestorHash();
      for (Reference r : api.getAllReferences().get().getReferences()) {
        if (r.getName().equals("main")) {
          if (!r.getHash().equals(beginning)) {
            api.assignReference().reference((Branch) r).assignTo(Detached.of(beginning)).assign();
          }
        } else {
          api.deleteReference().reference(r).delete();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot reset the Nessie server's repository", e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void stop() {
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    if (!process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: Quarkus shuts down cleanly
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- finding things

  private static Path runnerJar() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty(RUNNER_PROPERTY);
    if (property != null && !property.isBlank()) {
      candidates.add(Path.of(property));
    }
    candidates.add(Path.of("target", "nessie-server", "nessie-runner.jar"));
    candidates.add(Path.of("test-support", "target", "nessie-server", "nessie-runner.jar"));
    candidates.add(Path.of("..", "test-support", "target", "nessie-server", "nessie-runner.jar"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p.toAbsolutePath();
      }
    }
    return null;
  }

  /** A {@code java} executable and its feature version. */
  record Jdk(String java, int version) {
    @Override
    public String toString() {
      return "Java " + version + ", " + java;
    }
  }

  /** A {@code java} of version {@value #MIN_JAVA}+ on this machine, the newest found. */
  static Optional<Jdk> findJava() {
    String explicit = explicitJava();
    if (explicit != null) {
      Path p = Path.of(explicit);
      Path bin = Files.isDirectory(p) ? p.resolve("bin").resolve(javaExe()) : p;
      return javaVersion(bin).filter(v -> v >= MIN_JAVA).map(v -> new Jdk(bin.toString(), v));
    }
    if (Runtime.version().feature() >= MIN_JAVA) {
      Optional<String> self = ProcessHandle.current().info().command();
      if (self.isPresent()) {
        return Optional.of(new Jdk(self.get(), Runtime.version().feature()));
      }
    }
    List<Path> homes = new ArrayList<>();
    for (String env : List.of("JAVA_HOME", "JAVA21_HOME", "JAVA_21_HOME", "JAVA25_HOME",
        "JAVA_25_HOME", "JDK_HOME")) {
      String v = System.getenv(env);
      if (v != null && !v.isBlank()) {
        homes.add(Path.of(v));
      }
    }
    for (String root : List.of("/usr/lib/jvm", "/usr/java", "/opt/java", "/opt/jdk",
        System.getProperty("user.home") + "/.sdkman/candidates/java",
        "/Library/Java/JavaVirtualMachines")) {
      Path dir = Path.of(root);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path e : entries) {
          homes.add(e);
          homes.add(e.resolve("Contents").resolve("Home")); // macOS bundles
        }
      } catch (IOException e) {
        // unreadable: skip
      }
    }
    Jdk best = null;
    for (Path home : homes) {
      Path bin = home.resolve("bin").resolve(javaExe());
      if (!Files.isExecutable(bin)) {
        continue;
      }
      int v = javaVersion(bin).orElse(0);
      if (v >= MIN_JAVA && (best == null || v > best.version())) {
        best = new Jdk(bin.toString(), v);
      }
    }
    return Optional.ofNullable(best);
  }

  /** The java the user chose for the server, if any. */
  private static String explicitJava() {
    String explicit = System.getProperty(JAVA_PROPERTY, System.getenv("TARN_NESSIE_JAVA"));
    return explicit == null || explicit.isBlank() ? null : explicit;
  }

  private static String javaExe() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
        ? "java.exe" : "java";
  }

  /** The feature version {@code java -version} reports. */
  private static Optional<Integer> javaVersion(Path java) {
    if (!Files.isExecutable(java)) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      Matcher m = VERSION.matcher(out);
      if (!m.find()) {
        return Optional.empty();
      }
      int major = Integer.parseInt(m.group(1));
      return Optional.of(major == 1 ? 8 : major); // "1.8.0_..." is Java 8
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
