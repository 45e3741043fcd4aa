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
 * the files on stdin, discovers them and exits. Used for one discovery, then {@link #destroy}ed.
 */
final class DiscoveryProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path folder;

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

  boolean alive() {
    return process.isAlive();
  }

  /** Hands the process its files: it discovers them and exits. */
  void send(List<Path> files) throws IOException {
    List<String> paths = files.stream().map(f -> f.toAbsolutePath().toString()).toList();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write((JSON.writeValueAsString(paths) + "\n").getBytes(StandardCharsets.UTF_8));
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
