package dev.tarn.bench.env;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the baseline's and the checks' commands: output captured, a time limit, a failure says why. */
final class Commands {
  /** A pip install of large wheels over a slow network stays well inside this. */
  static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final int MAX_MESSAGE = 4_000;

  private Commands() {}

  /**
   * Runs {@code command} with this process's environment minus {@code unset}, and returns its output
   * (stdout and stderr together).
   *
   * @throws IllegalStateException when it fails or outlives {@link #TIMEOUT}
   */
  static String run(List<String> command, List<String> unset) throws IOException, InterruptedException {
    Path log = Files.createTempFile("tarn-bench-env-", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      unset.forEach(builder.environment()::remove);
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TIMEOUT.toMinutes()
            + " minutes (is the package index reachable?)");
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        String tail = output.length() <= MAX_MESSAGE ? output : "..." + output.substring(output.length() - MAX_MESSAGE);
        throw new IllegalStateException(String.join(" ", command) + " exited with status " + process.exitValue()
            + ": " + tail.strip());
      }
      return output;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
