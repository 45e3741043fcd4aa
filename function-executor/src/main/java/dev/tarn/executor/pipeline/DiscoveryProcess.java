package dev.tarn.executor.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.executor.python.ChildEnvironment;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.ProcessTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One discovery process ({@code python -m tarn.discover --wait}), started before its files are
 * known: in a folder of its own (its home, temporary folder and current folder, where its output
 * and errors go), with a minimal environment. It imports pyarrow and Tarn's runtime, then waits for
 * its files ({@link #send}), discovers them and exits. Used for one discovery, then {@link #destroy}ed.
 */
final class DiscoveryProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path folder;
  private final long startedNanos = System.nanoTime();

  private DiscoveryProcess(Process process, Path folder) {
    this.process = process;
    this.folder = folder;
  }

  /**
   * @param command the command line, {@code --wait} and network isolation included
   * @param variables what Tarn adds to the minimal environment
   */
  static DiscoveryProcess start(List<String> command, Map<String, String> variables) throws IOException {
    Path folder = Files.createTempDirectory("tarn-discover-");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
          .redirectOutput(folder.resolve("models.json").toFile())
          .redirectError(folder.resolve("stderr.log").toFile());
      ChildEnvironment.apply(builder, ChildEnvironment.forPython(System.getenv(), folder, variables));
      return new DiscoveryProcess(builder.start(), folder);
    } catch (IOException e) {
      Environments.deleteTree(folder);
      throw e;
    }
  }

  /** Whether the process still waits, started less than {@code maxWait} ago, its folder still there. */
  boolean fresh(Duration maxWait) {
    return process.isAlive() && System.nanoTime() - startedNanos < maxWait.toNanos() && Files.isDirectory(folder);
  }

  /**
   * Hands the process its files: it discovers them and exits. The list goes in a file of its folder
   * and stdin gets one short line, which never waits for the process to read it: a process that
   * does not, however long the list, is stopped by the time limit.
   */
  void send(List<Path> files) throws IOException {
    List<String> paths = files.stream().map(f -> f.toAbsolutePath().toString()).toList();
    Files.write(folder.resolve("files.json"), JSON.writeValueAsBytes(paths));
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * Waits up to {@code timeout} for the discovery to end: true when it did. An interrupt of the
   * calling thread stops the process and is thrown on.
   */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      destroy();
      throw e;
    }
  }

  /** The exit status; only after {@link #awaitExit} returned true. */
  int exitValue() {
    return process.exitValue();
  }

  /** What the discovery printed: its models as JSON. */
  Path models() {
    return folder.resolve("models.json");
  }

  /** Its standard error: a traceback when a file failed to import. */
  Path errors() {
    return folder.resolve("stderr.log");
  }

  /** Stops the process and what it started, and removes its folder. */
  void destroy() {
    ProcessTrees.destroy(process);
    try {
      Environments.deleteTree(folder);
    } catch (IOException ignored) {
      // a leftover temporary folder is harmless
    }
  }
}
