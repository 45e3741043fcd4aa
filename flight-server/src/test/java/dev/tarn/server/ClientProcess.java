package dev.tarn.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tarn.server.cli.TarnCli;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code tarn sql} and {@code tarn run} clients as separate processes, for tests that hold the Go
 * client ({@code cli/}, built to {@code cli/target/tarn-client}) to the JVM client's output. The launcher
 * builds the Go client ({@code ./tarn build}, {@code ./tarn test}) on a machine with Go; without it,
 * {@code tarn sql} and {@code tarn run} use the JVM client and the tests that need it are skipped.
 */
final class ClientProcess {
  static final Path GO_BINARY = Path.of("").toAbsolutePath().getParent().resolve("cli/target/tarn-client");

  /** A line the server's log writes to stderr: the JVM client run in the test's JVM shares it. */
  private static final Pattern SERVER_LOG_LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) ");

  private ClientProcess() {}

  static void assumeGoClientBuilt() {
    assumeTrue(Files.isExecutable(GO_BINARY), "the Go client is not built (./tarn build builds it where Go is installed)");
  }

  /** Runs the Go client with {@code args} and the environment variables {@code environment} added. */
  static Cli.Outcome go(Map<String, String> environment, String... args) {
    return run(goCommand(args), environment, null);
  }

  static Cli.Outcome go(String... args) {
    return go(Map.of(), args);
  }

  /** Runs a client command line, sends it SIGTERM once {@code ready} holds, and returns how it ended. */
  static Cli.Outcome stopped(List<String> command, BooleanSupplier ready) {
    return run(command, Map.of(), ready);
  }

  /** The Go client's command line for {@code args}. */
  static List<String> goCommand(String... args) {
    List<String> command = new ArrayList<>(List.of(GO_BINARY.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** The JVM client's command line for {@code args}, in a JVM of its own. */
  static List<String> jvmCommand(String... args) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), TarnCli.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs the JVM client in a JVM of its own (on this test's class path), for calls that need their own environment. */
  static Cli.Outcome jvm(Map<String, String> environment, String... args) {
    return run(jvmCommand(args), environment, null);
  }

  /**
   * Requires both clients' outcomes of {@code call} to be equal: stdout after {@code out}, stderr after
   * {@code err} (each drops what differs from call to call, or the server's log), and the exit code.
   */
  static void assertSameOutcome(List<String> call, Cli.Outcome jvm, Cli.Outcome go, UnaryOperator<String> out,
      UnaryOperator<String> err) {
    assertEquals(out.apply(jvm.out()), out.apply(go.out()), () -> "stdout differs for " + call);
    assertEquals(err.apply(jvm.err()), err.apply(go.err()), () -> "stderr differs for " + call);
    assertEquals(jvm.exit(), go.exit(), () -> "exit code differs for " + call + "\n" + jvm + "\n" + go);
  }

  /**
   * Text without the lines the server's log writes to stderr: a JVM client run in the test's JVM, beside
   * the server, shares its stderr.
   */
  static String withoutServerLog(String text) {
    return text.lines().filter(line -> !SERVER_LOG_LINE.matcher(line).find())
        .map(line -> line + "\n").collect(Collectors.joining());
  }

  private static Cli.Outcome run(List<String> command, Map<String, String> environment, BooleanSupplier stopWhen) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("tarn-client", ".out");
      err = Files.createTempFile("tarn-client", ".err");
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().remove("TARN_TOKEN");
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (stopWhen != null) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stopWhen.getAsBoolean() && process.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        process.destroy(); // SIGTERM
      }
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the client did not finish: " + command);
      }
      return new Cli.Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private static void delete(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a temporary file left behind is harmless
    }
  }
}
