package dev.tarn.executor.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.executor.python.AnswerLines;
import dev.tarn.executor.python.ChildEnvironment;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.ProcessTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;

/**
 * Warm discovery processes ({@code python -m tarn.discover --serve}): each has imported pyarrow and
 * Tarn's runtime once, and forks a fresh child per discovery, which imports the project's files and
 * exits. A discovery after an edit then costs the files' own import, not an interpreter's start
 * (about 0.1 s). A process is used by one discovery at a time; discoveries at once start more, and
 * a few are kept idle. An idle process holds no state of any project: it never runs a file's code.
 */
final class WarmDiscovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Idle processes kept; more are stopped when their discovery ends. */
  private static final int MAX_IDLE = 2;

  private final List<String> command;
  private final Map<String, String> environment;
  private final Deque<Server> idle = new ConcurrentLinkedDeque<>();

  /**
   * @param command the warm process's command line, network isolation included: its children
   *     inherit it
   * @param environment the warm process's own variables; each discovery brings its own
   */
  WarmDiscovery(List<String> command, Map<String, String> environment) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
  }

  /** One discovery: its files, its folder and where its output and errors go, and its variables. */
  record Request(List<Path> files, Path folder, Path stdout, Path stderr, Map<String, String> environment) {}

  /**
   * Runs one discovery in a warm process, waiting up to {@code timeoutNanos}.
   *
   * @return the discovery's exit status; empty when no warm process could run it (none started, or
   *     it ended without answering), and the caller runs a process of its own instead
   * @throws TimeoutException when the time ran out: the warm process and its child are stopped
   * @throws InterruptedException when the calling thread was interrupted: the same
   */
  OptionalInt run(Request request, long timeoutNanos) throws TimeoutException, InterruptedException {
    Server server = idle.poll();
    if (server == null || !server.usable()) {
      if (server != null) {
        server.destroy();
      }
      server = Server.start(command, environment);
      if (server == null) {
        return OptionalInt.empty();
      }
    }
    OptionalInt status = OptionalInt.empty();
    try {
      status = server.run(request, timeoutNanos);
      return status;
    } finally {
      if (status.isPresent() && server.usable() && idle.size() < MAX_IDLE) {
        idle.push(server);
      } else {
        server.destroy();
      }
    }
  }

  /** One warm process, with its own empty folder as its home. */
  private static final class Server {
    private final Process process;
    private final Path home;
    private final OutputStream requests;
    private final AnswerLines answers;

    private Server(Process process, Path home) {
      this.process = process;
      this.home = home;
      this.requests = process.getOutputStream();
      this.answers = AnswerLines.of(process, "tarn-discovery-answers-" + process.pid());
    }

    /** A started process, or null when it could not be started. */
    static Server start(List<String> command, Map<String, String> environment) {
      Path home = null;
      try {
        home = Files.createTempDirectory("tarn-discovery-");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        ChildEnvironment.apply(builder, ChildEnvironment.forPython(System.getenv(), home, environment));
        return new Server(builder.start(), home);
      } catch (IOException e) {
        deleteQuietly(home);
        return null;
      }
    }

    boolean usable() {
      return process.isAlive() && !answers.ended() && answers.quiet();
    }

    OptionalInt run(Request request, long timeoutNanos) throws TimeoutException, InterruptedException {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("files", request.files().stream().map(f -> f.toAbsolutePath().toString()).toList());
      line.put("folder", request.folder().toString());
      line.put("stdout", request.stdout().toString());
      line.put("stderr", request.stderr().toString());
      line.put("environment", request.environment());
      try {
        answers.expectAnswer();
        requests.write((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        requests.flush();
      } catch (IOException e) {
        return OptionalInt.empty(); // the process is gone: the caller starts a discovery of its own
      }
      Optional<String> answer;
      try {
        answer = answers.await(timeoutNanos);
      } catch (InterruptedException e) {
        destroy();
        throw e;
      }
      if (answer.isEmpty()) {
        if (answers.ended()) {
          return OptionalInt.empty();
        }
        destroy();
        throw new TimeoutException();
      }
      try {
        return OptionalInt.of(Integer.parseInt(answer.get().strip()));
      } catch (NumberFormatException e) {
        destroy(); // not the process's own answer: it is not used again
        return OptionalInt.empty();
      }
    }

    void destroy() {
      ProcessTrees.destroy(process);
      deleteQuietly(home);
    }

    private static void deleteQuietly(Path folder) {
      if (folder == null) {
        return;
      }
      try {
        Environments.deleteTree(folder);
      } catch (IOException ignored) {
        // a leftover empty temporary folder is harmless
      }
    }
  }
}
