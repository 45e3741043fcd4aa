package dev.tarn.executor.python;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One warm model process ({@code python -m tarn.worker}): request files go in as lines on its
 * stdin, exit codes come back as lines on its stdout. Runs one request at a time.
 */
final class PythonWorker {
  /** The exit status reported for an answer that is not one. */
  static final int GARBLED = 125;
  private final PythonWorkers.Key key;
  private final Process process;
  private final Path home;
  private final OutputStream requests;
  /** The worker's exit codes, one line per request, taken the moment they are written. */
  private final AnswerLines answers;
  private int runs;
  private boolean leftRunning;
  private long settledRssBytes = -1;
  private long idleSince = System.nanoTime();

  private PythonWorker(PythonWorkers.Key key, Process process, Path home) {
    this.key = key;
    this.process = process;
    this.home = home;
    this.requests = process.getOutputStream();
    this.answers = AnswerLines.of(process, "tarn-worker-answers-" + process.pid());
  }

  /** Starts a worker; it imports what every model needs while the caller goes on. */
  static PythonWorker start(PythonWorkers.Key key, List<String> command, Path home) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(home.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    // its own variables are those of a model's process; each request brings the run's own
    ChildEnvironment.apply(builder, ChildEnvironment.forPython(System.getenv(), home, Map.of()));
    return new PythonWorker(key, builder.start(), home);
  }

  PythonWorkers.Key key() {
    return key;
  }

  /** Hands the worker a request file; its exit code comes back through {@link #awaitAnswer}. */
  void send(Path requestFile) throws IOException {
    runs++;
    answers.expectAnswer();
    requests.write((requestFile.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    requests.flush();
  }

  /**
   * The exit code of the request sent, once the worker has answered ({@code "0"}; {@code "0
   * threads"} when the model left threads running, {@code "0 processes"} when it left processes,
   * which the worker stopped), waiting up to {@code nanos} for it; empty when none came in that
   * time or the answer channel has ended ({@link #channelEnded}).
   */
  OptionalInt awaitAnswer(long nanos) throws InterruptedException {
    Optional<String> answer = answers.await(nanos);
    if (answer.isEmpty()) {
      return OptionalInt.empty();
    }
    String[] words = answer.get().strip().split(" ");
    leftRunning = words.length > 1 && (words[1].equals("threads") || words[1].equals("processes"));
    try {
      return OptionalInt.of(Integer.parseInt(words[0]));
    } catch (NumberFormatException e) {
      // not the worker's own answer (a model wrote to its channel): the worker is not used again
      leftRunning = true;
      return OptionalInt.of(GARBLED);
    }
  }

  /**
   * Whether nothing but the worker's answers came on its channel. Something other than the worker
   * wrote to it otherwise (a process a model left behind), so the worker is not used again.
   */
  boolean quiet() {
    return answers.quiet();
  }

  /** Whether the worker's answer channel has ended: no answer will come any more. */
  boolean channelEnded() {
    return answers.ended();
  }

  /**
   * Whether the last request's model left threads running in the worker, or processes (stopped by
   * the worker, but the model's libraries may still count on them).
   */
  boolean leftRunning() {
    return leftRunning;
  }

  /** The worker's processes: itself and what it started (a network-isolating wrapper starts Python). */
  long processCount() {
    try (Stream<ProcessHandle> tree = tree()) {
      return tree.count();
    }
  }

  private Stream<ProcessHandle> tree() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants());
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The worker's exit status; only once it is no longer {@link #alive}. */
  int exitValue() {
    return process.exitValue();
  }

  /** Waits up to {@code nanos} for the worker to exit: an answer is polled for in between. */
  boolean awaitExit(long nanos) throws InterruptedException {
    return process.waitFor(nanos, TimeUnit.NANOSECONDS);
  }

  int runs() {
    return runs;
  }

  void markIdle() {
    idleSince = System.nanoTime();
  }

  long idleNanos() {
    return System.nanoTime() - idleSince;
  }

  /**
   * How much the worker grew since its first request ended (when the packages models import were
   * loaded), in bytes of resident memory; 0 when unknown.
   */
  long growthBytes() {
    if (runs == 0) {
      return 0; // a prestarted worker is still importing: its size now is no baseline
    }
    long rss = rssBytes();
    if (rss <= 0) {
      return 0;
    }
    if (settledRssBytes < 0) {
      settledRssBytes = rss;
    }
    return rss - settledRssBytes;
  }

  /** Resident memory of the worker and what it started. */
  private long rssBytes() {
    try (Stream<ProcessHandle> tree = tree()) {
      return tree.mapToLong(p -> vmRss(p.pid())).sum();
    }
  }

  private static long vmRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not Linux: unknown
    }
    return 0;
  }

  /** Stops the worker and what it started, and removes its folder. */
  void destroy() {
    ProcessTrees.destroy(process);
    try {
      Environments.deleteTree(home);
    } catch (IOException ignored) {
      // best effort: the folder is in the scratch root, cleared at reboot
    }
  }
}
