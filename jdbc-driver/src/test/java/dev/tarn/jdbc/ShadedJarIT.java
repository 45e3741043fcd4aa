package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as users get it: its contents, and sqlline (a third-party JDBC tool) running a
 * script through it in a JVM started without any flag.
 */
class ShadedJarIT {
  private static final Path JAR = Path.of(System.getProperty("tarn.jdbc.jar",
      "target/tarn-jdbc-driver-0.1.0-SNAPSHOT.jar"));
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void holdsOnlyTheDriverAndRelocatedDependencies() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> foreign = jar.stream().map(e -> e.getName())
          .filter(name -> !name.startsWith("dev/tarn/jdbc/") && !name.startsWith("META-INF/")
              && !name.equals("dev/") && !name.equals("dev/tarn/"))
          .toList();
      assertEquals(List.of(), foreign, "entries outside dev/tarn/jdbc and META-INF");
      assertTrue(jar.getEntry("dev/tarn/jdbc/shaded/org/apache/arrow/flight/sql/FlightSqlClient.class") != null);
      assertTrue(jar.getEntry("dev/tarn/jdbc/shaded/io/grpc/netty/NettyChannelProvider.class") != null);
      String driver = new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver"))
          .readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals("dev.tarn.jdbc.TarnDriver", driver);
      var grpcTransports = jar.getEntry("META-INF/services/dev.tarn.jdbc.shaded.io.grpc.ManagedChannelProvider");
      assertTrue(grpcTransports != null, "gRPC's transport registration is relocated");
      String transports = new String(jar.getInputStream(grpcTransports).readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(transports.contains("dev.tarn.jdbc.shaded.io.grpc.netty.NettyChannelProvider"), transports);
      List<String> unrelocatedServices = jar.stream().map(e -> e.getName())
          .filter(name -> name.startsWith("META-INF/services/") && !name.endsWith("/"))
          .filter(name -> !name.startsWith("META-INF/services/dev.tarn.jdbc.shaded.")
              && !name.equals("META-INF/services/java.sql.Driver"))
          .toList();
      assertEquals(List.of(), unrelocatedServices);
    }
  }

  /** The JDK running the tests, plus one of Java 24 or later installed beside it, if any. */
  private static List<Path> javaHomes() throws IOException {
    List<Path> homes = new ArrayList<>();
    Path current = Path.of(System.getProperty("java.home"));
    homes.add(current);
    if (Runtime.version().feature() < 24 && current.getParent() != null) {
      try (Stream<Path> siblings = Files.list(current.getParent())) {
        siblings.filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureVersion(home) >= 24)
            .sorted().findFirst().ifPresent(homes::add);
      }
    }
    return homes;
  }

  private static int featureVersion(Path home) {
    try {
      Optional<String> line = Files.readAllLines(home.resolve("release")).stream()
          .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst();
      return line.map(l -> Integer.parseInt(l.replaceAll("JAVA_VERSION=\"?(\\d+).*", "$1"))).orElse(0);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** sqlline and jline from the test classpath: nothing else joins the shaded jar. */
  private static String sqllineClasspath() {
    List<String> entries = new ArrayList<>();
    entries.add(JAR.toAbsolutePath().toString());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.startsWith("sqlline-") || name.startsWith("jline-")) {
        entries.add(entry);
      }
    }
    assertTrue(entries.size() >= 3, "sqlline and jline on the test classpath: " + entries);
    return String.join(File.pathSeparator, entries);
  }

  /** A tool that loads drivers in a class loader of their own (DBeaver does) gets no flags either. */
  @Test
  void worksFromAnIsolatedClassLoaderWithoutJvmFlags(@TempDir Path work) throws Exception {
    Path client = work.resolve("IsolatedLoaderClient.java");
    try (var source = ShadedJarIT.class.getResourceAsStream("/IsolatedLoaderClient.java")) {
      Files.copy(source, client);
    }
    for (Path javaHome : javaHomes()) {
      Path output = work.resolve("isolated-" + featureVersion(javaHome) + ".out");
      Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(), client.toString(),
          JAR.toAbsolutePath().toString(), server.url("")).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the client finished");
      String out = Files.readString(output);
      assertEquals(0, process.exitValue(), "on " + javaHome.getFileName() + ":\n" + out);
      assertTrue(out.contains("answer=42"), out);
    }
  }

  /** Java 24 and later can deny sun.misc.Unsafe's memory access, which Arrow needs: the error names the flag. */
  @Test
  void namesTheFlagWhenTheJvmDeniesUnsafeMemoryAccess(@TempDir Path work) throws Exception {
    Path client = work.resolve("IsolatedLoaderClient.java");
    try (var source = ShadedJarIT.class.getResourceAsStream("/IsolatedLoaderClient.java")) {
      Files.copy(source, client);
    }
    List<Path> modern = javaHomes().stream().filter(home -> featureVersion(home) >= 24).toList();
    org.junit.jupiter.api.Assumptions.assumeFalse(modern.isEmpty(), "no Java 24 or later installed beside this JDK");
    for (Path javaHome : modern) {
      Path output = work.resolve("denied.out");
      Process process = new ProcessBuilder(javaHome.resolve("bin/java").toString(),
          "--sun-misc-unsafe-memory-access=deny", client.toString(), JAR.toAbsolutePath().toString(),
          server.url("")).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the client finished");
      String out = Files.readString(output);
      assertTrue(out.contains("start it with --sun-misc-unsafe-memory-access=allow"), out);
    }
  }

  /** Where the driver cannot open java.nio itself (attaching is switched off), it names the flag. */
  @Test
  void namesTheFlagWhenTheJvmForbidsAttaching(@TempDir Path work) throws Exception {
    Path script = work.resolve("one.sql");
    Files.writeString(script, "SELECT 1 AS one;\n");
    Path output = work.resolve("one.out");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+DisableAttachMechanism", "-cp", sqllineClasspath(), "sqlline.SqlLine", "-u", server.url(""),
        "-n", "", "-p", "", "--run=" + script).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "sqlline finished");
    String out = Files.readString(output);
    assertTrue(out.contains("start this JVM with --add-opens=java.base/java.nio=ALL-UNNAMED"), out);
  }

  @Test
  void sqllineRunsAScriptWithoutJvmFlags(@TempDir Path work) throws Exception {
    for (Path javaHome : javaHomes()) {
      String table = "sl_" + featureVersion(javaHome);
      Path script = work.resolve(table + ".sql");
      Files.writeString(script, String.join("\n",
          "CREATE TABLE " + table + " (id INTEGER, name VARCHAR, placed TIMESTAMPTZ);",
          "INSERT INTO " + table + " VALUES (1, 'one', TIMESTAMPTZ '2024-01-02 03:04:05+00'), (2, 'two', NULL);",
          "SELECT id, name FROM " + table + " ORDER BY id;",
          "!tables",
          "!columns " + table,
          "!typeinfo",
          "!autocommit off",
          "INSERT INTO " + table + " VALUES (3, 'rolled back', NULL);",
          "!rollback",
          "INSERT INTO " + table + " VALUES (4, 'committed', NULL);",
          "!commit",
          "!autocommit on",
          "SELECT count(*) AS total_rows, max(id) AS last_id FROM " + table + ";",
          ""));
      Path output = work.resolve(table + ".out");
      List<String> command = List.of(javaHome.resolve("bin/java").toString(), "-cp", sqllineClasspath(),
          "sqlline.SqlLine", "-u", server.url(""), "-n", "", "-p", "", "--outputFormat=csv",
          "--run=" + script);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
          .start();
      assertTrue(process.waitFor(90, TimeUnit.SECONDS), "sqlline finished");
      String out = Files.readString(output);
      String jvm = "on " + javaHome.getFileName() + ":\n" + out;
      assertEquals(0, process.exitValue(), jvm);
      assertFalse(out.contains("add-opens"), jvm);
      assertFalse(out.toLowerCase().contains("error"), jvm);
      assertTrue(out.contains("'1','one'") && out.contains("'2','two'"), jvm);
      assertTrue(out.contains("'" + table + "'"), "!tables lists the table " + jvm);
      assertTrue(out.contains("'TIMESTAMP WITH TIME ZONE'"), "!columns and !typeinfo show types " + jvm);
      assertTrue(out.contains("'total_rows','last_id'") && out.contains("'3','4'"),
          "the rolled back row is gone and the committed one landed " + jvm);
    }
  }
}
