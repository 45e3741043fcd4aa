package dev.tarn.executor.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.executor.python.ChildEnvironment;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.tarn.executor.python.NetworkIsolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the models and expectations of Python files by running {@code python -m tarn.discover} in a
 * Python that has Tarn's runtime on its path (discovery needs only the runtime and pyarrow, not the
 * models' own packages: imports inside model bodies are not executed).
 */
public final class ModelDiscovery implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile ModelDiscovery located;
  /**
   * How long a process started ahead may wait: it has imported the runtime and pyarrow as they were
   * then, and its folder sits in the temporary folder, which cleaners empty.
   */
  private static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private final List<String> pythonCommand;
  private final Path runtimeSource;
  private final Duration timeout;
  private final DiscoveryCache cache = new DiscoveryCache();
  /** A discovery process started ahead, waiting for its files; null when none waits. */
  private final AtomicReference<DiscoveryProcess> waiting = new AtomicReference<>();
  private volatile boolean closed;
  /** Discoveries under way: the next process is started only when none is. */
  private final AtomicInteger running = new AtomicInteger();

  /**
   * @param pythonCommand the interpreter command line (e.g. {@code [/usr/bin/python3]})
   * @param runtimeSource the folder holding the {@code tarn} package, put on PYTHONPATH
   */
  public ModelDiscovery(List<String> pythonCommand, Path runtimeSource, Duration timeout) {
    this.pythonCommand = List.copyOf(pythonCommand);
    this.runtimeSource = runtimeSource.toAbsolutePath().normalize();
    this.timeout = timeout;
  }

  /** Discovery in an assembled environment (which already sees the runtime through a .pth file). */
  public static ModelDiscovery in(PythonEnvironment environment, Path runtimeSource) {
    return new ModelDiscovery(List.of(environment.python().toString()), runtimeSource, Duration.ofMinutes(2));
  }

  /**
   * A discovery Python found on this machine: {@code $TARN_DISCOVERY_PYTHON}, else {@code
   * .venv/bin/python} in the working folder or a parent, else {@code python3} on PATH; the first one
   * that can import pyarrow. The runtime is found as {@link Environments#findRuntime()} does.
   */
  public static ModelDiscovery locate() {
    ModelDiscovery current = located;
    if (current != null) {
      return current;
    }
    synchronized (ModelDiscovery.class) {
      if (located != null) {
        return located;
      }
      Path runtime = Environments.findRuntime().orElseThrow(() -> new PipelinePlanException(
          "Tarn's Python runtime (python/tarn-runtime/src) was not found: set TARN_RUNTIME_DIR to it"));
      List<String> tried = new ArrayList<>();
      for (String candidate : candidates()) {
        tried.add(candidate);
        if (canImportPyarrow(candidate)) {
          located = new ModelDiscovery(List.of(candidate), runtime, Duration.ofMinutes(2));
          return located;
        }
      }
      throw new PipelinePlanException("no Python with pyarrow was found to discover Python models (tried "
          + String.join(", ", tried) + "): ./tarn serve installs pyarrow into .venv from python/requirements-server.txt,"
          + " or set TARN_DISCOVERY_PYTHON to a Python that has it");
    }
  }

  private static List<String> candidates() {
    List<String> result = new ArrayList<>();
    String configured = System.getenv("TARN_DISCOVERY_PYTHON");
    if (configured != null && !configured.isBlank()) {
      result.add(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path venv = dir.resolve(".venv/bin/python");
      if (Files.isExecutable(venv)) {
        result.add(venv.toString());
        break;
      }
    }
    result.add("python3");
    return result;
  }

  private static boolean canImportPyarrow(String python) {
    try {
      ProcessBuilder probe = new ProcessBuilder(python, "-c", "import pyarrow").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      Path home = Path.of(System.getProperty("java.io.tmpdir"));
      Process p = ChildEnvironment.apply(probe, ChildEnvironment.forPython(System.getenv(), home, Map.of())).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The models and expectations of {@code files}, in file order then definition order. Files seen
   * before with the same contents are answered from memory: running the discovery process (an
   * interpreter importing pyarrow and the models) was a fixed cost of every run.
   */
  public List<ModelDefinition> discover(List<Path> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    return cache.discover(files, this::discoverNow);
  }

  /**
   * Runs one discovery in a process of its own: importing a model file runs its top-level code. The
   * process was started before it was needed when one is waiting, and another is started for the
   * next discovery once no discovery runs. It is stopped when it exceeds the time limit or when the
   * calling thread is interrupted (the run's client cancelled or went away).
   */
  private List<ModelDefinition> discoverNow(List<Path> files) {
    DiscoveryProcess process = null;
    running.incrementAndGet();
    try {
      process = started(files);
      try {
        if (!process.awaitExit(timeout)) {
          throw new PipelinePlanException("discovering models in " + files + " exceeded its time limit of "
              + timeout.toSeconds() + " s and was stopped (does a model file do slow work when imported?)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PipelinePlanException("model discovery in " + files + " was cancelled and stopped", e);
      }
      if (process.exitValue() != 0) {
        String error = Files.readString(process.errors(), StandardCharsets.UTF_8).strip();
        throw new PipelinePlanException("cannot load Python models from " + blame(files, error) + ":\n" + clip(error));
      }
      return parse(JSON.readTree(process.models().toFile()));
    } catch (IOException e) {
      throw new PipelinePlanException("cannot run model discovery (" + String.join(" ", pythonCommand) + "): "
          + e.getMessage(), e);
    } finally {
      if (process != null) {
        process.destroy();
      }
      // only once no discovery runs: a process started while files' code ran would be within its reach
      if (running.decrementAndGet() == 0 && !Thread.currentThread().isInterrupted()) {
        prestart();
      }
    }
  }

  /** A process discovering {@code files}: the waiting one, or one started now when none waits or it died. */
  private DiscoveryProcess started(List<Path> files) throws IOException {
    DiscoveryProcess ready = waiting.getAndSet(null);
    if (ready != null && ready.fresh(MAX_WAIT)) {
      try {
        ready.send(files);
        return ready;
      } catch (IOException e) {
        // it ended between the check and the send: start one as if none had waited
      }
    }
    if (ready != null) {
      ready.destroy();
    }
    DiscoveryProcess now = startWaiting();
    try {
      now.send(files);
      return now;
    } catch (IOException e) {
      now.destroy();
      throw e;
    }
  }

  /** Starts the process the next discovery will take, unless one waits already. */
  private void prestart() {
    if (closed || waiting.get() != null || running.get() > 0) {
      return;
    }
    try {
      DiscoveryProcess next = startWaiting();
      if (closed || !waiting.compareAndSet(null, next)) {
        next.destroy();
      } else if (running.get() > 0 && waiting.compareAndSet(next, null)) {
        next.destroy(); // a discovery began meanwhile and did not take it: it waits no longer
      }
    } catch (IOException e) {
      // the next discovery starts its own, and reports what fails then
    }
  }

  /** Stops the process waiting for the next discovery; later discoveries start their own. */
  @Override
  public void close() {
    closed = true;
    DiscoveryProcess ready = waiting.getAndSet(null);
    if (ready != null) {
      ready.destroy();
    }
  }

  /**
   * A discovery process waiting for its files: {@code python -B -m tarn.discover --wait}, without
   * network access where the machine allows (importing a file runs its top-level code, which may
   * belong to a model declared offline, and discovery needs no network).
   */
  private DiscoveryProcess startWaiting() throws IOException {
    List<String> command = new ArrayList<>(pythonCommand);
    command.addAll(List.of("-B", "-m", "tarn.discover", "--wait"));
    return DiscoveryProcess.start(NetworkIsolation.available() ? NetworkIsolation.wrap(command) : command,
        Map.of("PYTHONPATH", runtimeSource.toString(), "PYTHONDONTWRITEBYTECODE", "1"));
  }

  /** The file the traceback points at, when it is one of ours. */
  private static String blame(List<Path> files, String traceback) {
    String last = null;
    for (Path f : files) {
      int at = traceback.lastIndexOf(f.toAbsolutePath().toString());
      if (at >= 0 && (last == null || at > traceback.lastIndexOf(last))) {
        last = f.toAbsolutePath().toString();
      }
    }
    return last != null ? last : files.size() == 1 ? files.get(0).toString() : files.toString();
  }

  private static String clip(String s) {
    return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
  }

  static List<ModelDefinition> parse(JsonNode array) {
    List<ModelDefinition> result = new ArrayList<>();
    for (JsonNode node : array) {
      String kind = node.path("kind").asText(null);
      if (kind == null) {
        continue; // only @python was applied: not a model
      }
      ModelDefinition.Kind k = switch (kind) {
        case "model" -> ModelDefinition.Kind.PYTHON_MODEL;
        case "expectation" -> ModelDefinition.Kind.EXPECTATION;
        default -> throw new PipelinePlanException("unknown function kind '" + kind + "' in " + node.path("file").asText());
      };
      JsonNode python = node.path("python");
      String version = python.isObject() ? python.path("version").asText(null) : null;
      Map<String, String> pins = new LinkedHashMap<>();
      if (python.isObject()) {
        python.path("pip").fields().forEachRemaining(e -> pins.put(e.getKey(), e.getValue().asText()));
      }
      List<DeclaredInput> inputs = new ArrayList<>();
      node.path("inputs").fields().forEachRemaining(e -> {
        JsonNode in = e.getValue();
        List<String> columns = null;
        if (in.path("columns").isArray()) {
          columns = new ArrayList<>();
          for (JsonNode c : in.path("columns")) {
            columns.add(c.asText());
          }
        }
        String filter = in.path("filter").isTextual() ? in.path("filter").asText() : null;
        inputs.add(new DeclaredInput(e.getKey(), in.path("name").asText(), columns, filter));
      });
      Map<String, String> parameters = new LinkedHashMap<>();
      node.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
      String schema = node.path("schema").isTextual() ? node.path("schema").asText() : null;
      String name = node.path("name").asText();
      Materialization materialization = node.path("materialization_strategy").isTextual()
          ? Materialization.named(node.path("materialization_strategy").asText(), "model " + name)
          : node.path("materialize").asBoolean(false) ? Materialization.REPLACE : Materialization.NONE;
      Boolean internetAccess = node.path("internet_access").isBoolean() ? node.path("internet_access").asBoolean()
          : null;
      result.add(new ModelDefinition(name, k, Path.of(node.path("file").asText()), node.path("function").asText(),
          materialization, schema, version, pins, inputs, parameters, null, List.of(), internetAccess));
    }
    return result;
  }
}
