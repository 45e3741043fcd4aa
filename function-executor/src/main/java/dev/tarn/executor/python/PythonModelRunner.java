package dev.tarn.executor.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Runs Python models in their environments, in warm worker processes ({@link PythonWorkers}, {@code
 * python -m tarn.worker}) by default, or each in a process of its own ({@code python -m tarn.run}).
 * Inputs go to the model as Arrow IPC files under {@code /dev/shm/tarn-<run>/}, which it
 * memory-maps; its output comes back the same way and is read through a memory map. A model gets a
 * timeout and an address-space limit; stdout and stderr are captured into files of the run folder
 * and returned. It sees a minimal environment ({@link ChildEnvironment}), never the server's, its
 * own folder as home and temporary folder, and no state a model before it left in its project's modules.
 */
public final class PythonModelRunner implements AutoCloseable {
  /** Exit codes of {@code tarn.run}. */
  private static final int MODEL_ERROR = 1;
  private static final int EXPECTATION_FAILED = 2;
  private static final int BAD_REQUEST = 3;
  private static final int MAX_LOG = 1 << 20;
  /** How often a followed model's output files are read while it runs. */
  private static final long FOLLOW_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** How often a model's worker is checked for being alive while its answer is awaited. */
  private static final long ALIVE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BufferAllocator allocator;
  private final Path scratchRoot;
  /** Null when every model runs in a process of its own. */
  private final PythonWorkers workers;

  /**
   * @param allocator where output batches are read into
   * @param scratchRoot where run folders go; shared memory ({@code /dev/shm}) so hand-offs never touch disk
   * @param warmWorkers whether models run in warm worker processes (else each in a new process)
   */
  public PythonModelRunner(BufferAllocator allocator, Path scratchRoot, boolean warmWorkers) {
    this.allocator = allocator;
    this.scratchRoot = scratchRoot;
    this.workers = warmWorkers ? new PythonWorkers(scratchRoot) : null;
  }

  /** Warm workers, run folders in {@code /dev/shm} when this machine has it, else in the temporary folder. */
  public PythonModelRunner(BufferAllocator allocator) {
    this(allocator, defaultScratchRoot(), true);
  }

  /**
   * Starts a warm worker for an environment and user (with a memory limit and network isolation,
   * which a worker keeps for life) if none is idle, so that its first model finds one ready; does nothing
   * without warm workers.
   */
  public void prestart(PythonEnvironment environment, long memoryLimitBytes, boolean withoutNetwork, String owner) {
    if (workers != null) {
      try {
        workers.prestart(environment, memoryLimitBytes, withoutNetwork, owner);
      } catch (RuntimeException e) {
        // the model itself will start one, or say why it cannot
      }
    }
  }

  /** Stops the idle workers; a runner is not used after. */
  @Override
  public void close() {
    if (workers != null) {
      workers.close();
    }
  }

  /** Where run folders go: shared memory where the machine has it. */
  public Path scratchRoot() {
    return scratchRoot;
  }

  /** Where output batches are read into: exporting them further (Arrow C data) must use this root. */
  public BufferAllocator allocator() {
    return allocator;
  }

  public static Path defaultScratchRoot() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * Runs the model and returns its output (close the result to release it), or throws {@link
   * ModelFailedException} naming the model: raised (with traceback), expectation false, timeout,
   * killed. Temporary files are removed when this throws, and when the result is closed.
   */
  public ModelResult run(ModelCall call) {
    return run(call, ModelOutput.NONE);
  }

  /**
   * Runs the model as {@link #run(ModelCall)} does, handing its stdout and stderr lines to {@code
   * lines} while it runs (bounded, see {@link OutputFollower}); every line is handed on before this
   * returns or throws.
   */
  public ModelResult run(ModelCall call, ModelOutput lines) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory(scratchRoot, "tarn-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a run folder under " + scratchRoot, e);
    }
    boolean handedOut = false;
    try {
      ModelResult result = runIn(scratch, call, lines);
      handedOut = true;
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("running Python model '" + call.model() + "' failed: " + e.getMessage(), e);
    } finally {
      if (!handedOut) {
        try {
          Environments.deleteTree(scratch);
        } catch (IOException ignored) {
          // best effort: /dev/shm is cleared at reboot
        }
      }
    }
  }

  private ModelResult runIn(Path scratch, ModelCall call, ModelOutput lines) throws IOException {
    ObjectNode request = JSON.createObjectNode();
    request.put("module", call.module().toString());
    request.put("model", call.model());
    ObjectNode inputs = request.putObject("inputs");
    int i = 0;
    for (Map.Entry<String, ModelInput> input : call.inputs().entrySet()) {
      Path file = scratch.resolve("in-" + i++ + ".arrow");
      if (input.getValue() instanceof ModelInput.Parts parts) {
        inputs.set(input.getKey(), partsRequest(parts, file));
        continue;
      }
      write(input.getValue(), file);
      inputs.put(input.getKey(), file.toString());
    }
    ObjectNode parameters = request.putObject("parameters");
    call.parameters().forEach(parameters::putPOJO); // keeps each value's JSON type: int, float, bool, str, null
    Path output = scratch.resolve("out.arrow");
    Path resultFile = scratch.resolve("result.json");
    request.put("output", output.toString());
    request.put("result", resultFile.toString());
    if (call.memoryLimitBytes() > 0) {
      request.put("memory_limit_bytes", call.memoryLimitBytes());
    }
    Path requestFile = scratch.resolve("request.json");
    Path stdoutFile = scratch.resolve("stdout.log");
    Path stderrFile = scratch.resolve("stderr.log");
    // Only what the model needs, never the server's secrets; its home and temporary folder are the run's.
    Map<String, String> environment = ChildEnvironment.forPython(System.getenv(), scratch, Map.of());
    if (workers != null) {
      // what a process of its own would have had, which the warm worker takes on for this request
      ObjectNode worker = request.putObject("worker");
      worker.put("cwd", call.module().getParent().toString());
      environment.forEach(worker.putObject("environment")::put);
      worker.put("stdout", stdoutFile.toString());
      worker.put("stderr", stderrFile.toString());
    }
    JSON.writeValue(requestFile.toFile(), request);

    long started = System.nanoTime();
    int exit = workers != null
        ? runInWorker(call, requestFile, stdoutFile, stderrFile, lines)
        : runInProcess(call, requestFile, environment, stdoutFile, stderrFile, lines);
    Duration duration = Duration.ofNanos(System.nanoTime() - started);
    JsonNode result = Files.isRegularFile(resultFile) ? JSON.readTree(resultFile.toFile()) : null;

    if (exit == 0 && result != null) {
      String stdout = tail(stdoutFile);
      String stderr = tail(stderrFile);
      long rows = result.path("rows").asLong();
      ModelResult.Timings timings = timings(result);
      if (!Files.exists(output)) { // an expectation that held
        return new ModelResult(call.model(), rows, null, null, stdout, stderr, duration, timings, scratch);
      }
      ArrowReader reader;
      try {
        reader = readOutput(output, allocator);
      } catch (IOException e) { // the model's process wrote a file that is not Arrow: the model's failure
        throw failure(call, ModelFailedException.Reason.RAISED, "Python model '" + call.model() + "' failed: "
            + e.getMessage(), null, null, stdoutFile, stderrFile);
      }
      return new ModelResult(call.model(), rows, reader, output, stdout, stderr, duration, timings, scratch);
    }
    if (result != null && (exit == MODEL_ERROR || exit == EXPECTATION_FAILED || exit == BAD_REQUEST)) {
      String type = result.path("type").asText(null);
      String message = result.path("message").asText("");
      String traceback = result.path("traceback").asText("");
      if (exit == EXPECTATION_FAILED) {
        throw failure(call, ModelFailedException.Reason.EXPECTATION_FAILED,
            "expectation '" + call.model() + "' failed: it returned False", type, traceback, stdoutFile, stderrFile);
      }
      if (exit == BAD_REQUEST) {
        throw failure(call, ModelFailedException.Reason.INVALID,
            "Python model '" + call.model() + "' could not be started: " + message, type, traceback,
            stdoutFile, stderrFile);
      }
      String phase = result.path("phase").asText("run");
      String where = "load".equals(phase) ? "' failed while loading its file: " : "' raised ";
      throw failure(call, ModelFailedException.Reason.RAISED, "Python model '" + call.model() + where
          + type + (message.isEmpty() ? "" : ": " + message)
          + (traceback.isEmpty() ? "" : "\n" + traceback.stripTrailing()), type, traceback, stdoutFile, stderrFile);
    }
    throw ended(call, exit > 128
        ? "was killed by signal " + (exit - 128) + signalName(exit - 128)
            + (exit - 128 == 9 ? " (out of memory, or stopped from outside)" : "")
        : "exited with status " + exit + " without reporting a result", stdoutFile, stderrFile);
  }

  /** The failure of a model whose process ended without reporting a result ({@code how} it ended). */
  private static ModelFailedException ended(ModelCall call, String how, Path stdoutFile, Path stderrFile)
      throws IOException {
    String stderr = tail(stderrFile).strip();
    return failure(call, ModelFailedException.Reason.KILLED, "Python model '" + call.model() + "' " + how
        + (stderr.isEmpty() ? "" : "; its stderr ends with:\n" + lastLines(stderr, 20)), null, null,
        stdoutFile, stderrFile);
  }

  /** Runs the request in a process of its own ({@code python -m tarn.run}); its exit status. */
  private int runInProcess(ModelCall call, Path requestFile, Map<String, String> environment, Path stdoutFile,
      Path stderrFile, ModelOutput lines) throws IOException {
    // Isolated: the runtime comes from the environment's .pth, the model's folder is added by tarn.run.
    List<String> command = call.environment().command("-u", "-m", "tarn.run", requestFile.toString());
    if (call.withoutNetwork()) {
      try {
        command = NetworkIsolation.wrap(command);
      } catch (IllegalStateException e) {
        throw withoutIsolation(call, e);
      }
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(call.module().getParent().toFile())
        .redirectOutput(stdoutFile.toFile())
        .redirectError(stderrFile.toFile());
    ChildEnvironment.apply(builder, environment);
    Process process = builder.start();
    boolean finished;
    try (OutputFollower out = new OutputFollower(stdoutFile, ModelOutput.Stream.STDOUT, lines);
        OutputFollower err = new OutputFollower(stderrFile, ModelOutput.Stream.STDERR, lines)) {
      finished = awaitFollowing(process, call.timeout(), lines == ModelOutput.NONE ? null : out, err);
    } catch (InterruptedException e) {
      ProcessTrees.destroy(process);
      Thread.currentThread().interrupt();
      throw cancelled(call, stdoutFile, stderrFile);
    }
    if (!finished) {
      ProcessTrees.destroy(process);
      throw timedOut(call, stdoutFile, stderrFile);
    }
    return process.exitValue();
  }

  /**
   * Runs the request in a warm worker ({@link PythonWorkers}); its exit status, as {@code tarn.run}
   * would have exited with it, or the worker's own when it died. A worker that timed out, was
   * cancelled or failed is not used again.
   */
  private int runInWorker(ModelCall call, Path requestFile, Path stdoutFile, Path stderrFile, ModelOutput lines)
      throws IOException {
    PythonWorker worker;
    try {
      worker = workers.take(call);
    } catch (IllegalStateException e) {
      throw withoutIsolation(call, e);
    }
    boolean clean = false;
    try (OutputFollower out = new OutputFollower(stdoutFile, ModelOutput.Stream.STDOUT, lines);
        OutputFollower err = new OutputFollower(stderrFile, ModelOutput.Stream.STDERR, lines)) {
      boolean following = lines != ModelOutput.NONE;
      long processesBefore = worker.processCount();
      worker.send(requestFile);
      long deadline = System.nanoTime() + call.timeout().toNanos();
      long nextFollow = System.nanoTime() + FOLLOW_INTERVAL_NANOS;
      while (true) {
        long now = System.nanoTime();
        if (now >= deadline) {
          throw timedOut(call, stdoutFile, stderrFile);
        }
        if (following && now >= nextFollow) {
          out.poll();
          err.poll();
          nextFollow = now + FOLLOW_INTERVAL_NANOS;
        }
        // The answer is taken as soon as the worker writes it. The wait ends early to follow output, and
        // to see a worker that died while a process it started still holds its answer channel open.
        long until = Math.min(following ? Math.min(deadline, nextFollow) : deadline, now + ALIVE_CHECK_NANOS);
        OptionalInt code = worker.awaitAnswer(until - now);
        if (code.isEmpty()) {
          if (worker.channelEnded()) {
            // no answer will come: the worker exited, or its model closed the channel (then it runs out its time)
            worker.awaitExit(Math.max(0, until - System.nanoTime()));
          }
          if (worker.channelEnded() || !worker.alive()) {
            code = worker.awaitAnswer(0); // an answer written just before the channel ended or the worker died
          }
        }
        if (code.isPresent() || !worker.alive()) {
          if (following) {
            out.finish();
            err.finish();
          }
          // a model that left threads or processes behind it is not followed by another (the worker
          // stops the processes before it answers; a tree that still grew is not trusted either)
          clean = code.isPresent() && code.getAsInt() == 0 && !worker.leftRunning()
              && worker.processCount() <= processesBefore;
          if (code.isPresent() || worker.exitValue() > 128) {
            return code.isPresent() ? code.getAsInt() : worker.exitValue();
          }
          // its exit status is the worker's, not a model's: it does not say what the model did
          throw ended(call, "ended its worker process (exit status " + worker.exitValue()
              + ") without reporting a result", stdoutFile, stderrFile);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cancelled(call, stdoutFile, stderrFile);
    } finally {
      workers.giveBack(worker, clean);
    }
  }

  private static ModelFailedException withoutIsolation(ModelCall call, IllegalStateException e) {
    return new ModelFailedException(call.model(), ModelFailedException.Reason.INVALID, "Python model '"
        + call.model() + "' declares internet_access=False, and " + e.getMessage(), "NetworkIsolationError",
        "", "", "");
  }

  private static ModelFailedException cancelled(ModelCall call, Path stdoutFile, Path stderrFile) throws IOException {
    return failure(call, ModelFailedException.Reason.KILLED, "Python model '" + call.model() + "' was cancelled",
        null, null, stdoutFile, stderrFile);
  }

  private static ModelFailedException timedOut(ModelCall call, Path stdoutFile, Path stderrFile) throws IOException {
    return failure(call, ModelFailedException.Reason.TIMEOUT, "Python model '" + call.model()
        + "' exceeded its timeout of " + seconds(call.timeout()) + " and was stopped", null, null,
        stdoutFile, stderrFile);
  }

  /**
   * Waits for the process to end within its timeout, handing on its output as it comes when
   * followers are given (a few times a second); false when the timeout passed first.
   */
  private static boolean awaitFollowing(Process process, Duration timeout, OutputFollower out,
      OutputFollower err) throws InterruptedException, IOException {
    if (out == null) {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (process.waitFor(Math.min(left, FOLLOW_INTERVAL_NANOS), TimeUnit.NANOSECONDS)) {
        out.finish();
        err.finish();
        return true;
      }
      out.poll();
      err.poll();
    }
  }

  /**
   * A model's output file, each batch checked before anyone reads it: read in place where it can be
   * ({@link MappedOutputReader}), else by copy. The caller closes the reader.
   *
   * @throws IOException when the file is not an Arrow file
   */
  public static ArrowReader readOutput(Path file, BufferAllocator allocator) throws IOException {
    Optional<ArrowReader> inPlace = MappedOutputReader.open(file, allocator);
    return inPlace.isPresent() ? inPlace.get() : new CheckedOutputReader(MappedReadChannel.open(file), allocator);
  }

  private static void write(ModelInput input, Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      input.writeArrowFile(channel);
    }
  }

  /** {@code {"parts": [{"file", "columns"}, ...], "names": [...]}}, writing the rest (if any) to {@code file}. */
  private static ObjectNode partsRequest(ModelInput.Parts parts, Path file) throws IOException {
    ObjectNode spec = JSON.createObjectNode();
    ArrayNode list = spec.putArray("parts");
    for (ModelInput.SharedFile shared : parts.shared()) {
      ObjectNode part = list.addObject().put("file", shared.file().toString());
      shared.columns().forEach(part.putArray("columns")::add);
    }
    if (parts.rest() != null) {
      write(parts.rest(), file);
      ObjectNode part = list.addObject().put("file", file.toString());
      parts.names().forEach(part.putArray("columns")::add);
    }
    parts.names().forEach(spec.putArray("names")::add);
    return spec;
  }

  /** The timings {@code tarn.run} reports in seconds, or null when they are missing. */
  private static ModelResult.Timings timings(JsonNode result) {
    JsonNode inputs = result.get("inputs_seconds");
    JsonNode model = result.get("seconds");
    JsonNode output = result.get("output_seconds");
    if (inputs == null || model == null || output == null) {
      return null;
    }
    return new ModelResult.Timings(fromSeconds(inputs.asDouble()), fromSeconds(model.asDouble()),
        fromSeconds(output.asDouble()));
  }

  private static Duration fromSeconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }


  private static ModelFailedException failure(ModelCall call, ModelFailedException.Reason reason,
      String message, String type, String traceback, Path stdout, Path stderr) throws IOException {
    return new ModelFailedException(call.model(), reason, message, type, traceback, tail(stdout), tail(stderr));
  }

  /** The last MiB of a log file. */
  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - MAX_LOG);
      byte[] bytes = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(bytes);
      return (from > 0 ? "[... earlier output cut ...]\n" : "") + new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static String lastLines(String text, int count) {
    String[] lines = text.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - count), lines.length));
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      case 6 -> " (SIGABRT)";
      default -> "";
    };
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
