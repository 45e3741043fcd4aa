package dev.tarn.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go client ({@code cli/}, {@code cli/target/tarn-client}) as a separate process, for tests that hold
 * it to the JVM client's output. The launcher builds it ({@code ./tarn build}, {@code ./tarn test}) on a
 * machine with Go; without it, {@code tarn sql} and {@code tarn run} use the JVM client and these tests
 * are skipped.
 */
final class GoClient {
  static final Path BINARY = Path.of("").toAbsolutePath().getParent().resolve("cli/target/tarn-client");

  private GoClient() {}

  static void assumeBuilt() {
    assumeTrue(Files.isExecutable(BINARY), "the Go client is not built (./tarn build builds it where Go is installed)");
  }

  /**
   * What a client printed to stderr, without the lines the server's log wrote there: the JVM client
   * runs in the test's JVM, beside the server.
   */
  static String clientErrors(Cli.Outcome outcome) {
    return outcome.err().lines().filter(line -> !SERVER_LOG_LINE.matcher(line).find())
        .map(line -> line + "\n").collect(java.util.stream.Collectors.joining());
  }

  private static final java.util.regex.Pattern SERVER_LOG_LINE =
      java.util.regex.Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (TRACE|DEBUG|INFO|WARN|ERROR) ");

  /** Runs {@code tarn-client args} and waits for it, as {@link Cli#tarn} runs the JVM client. */
  static Cli.Outcome tarn(String... args) {
    List<String> command = new ArrayList<>(List.of(BINARY.toString()));
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("tarn-client", ".out");
      err = Files.createTempFile("tarn-client", ".err");
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the Go client did not finish: " + command);
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
