package dev.tarn.executor.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the models and expectations of Python files by running {@code python -m tarn.discover} in a
 * Python that has Tarn's runtime on its path (discovery needs only the runtime and pyarrow, not the
 * models' own packages: imports inside model bodies are not executed).
 */
public final class ModelDiscovery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile ModelDiscovery located;

  private final List<String> pythonCommand;
  private final Path runtimeSource;
  private final Duration timeout;
  private final DiscoveryCache cache = new DiscoveryCache();

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
          + String.join(", ", tried) + "): set TARN_DISCOVERY_PYTHON to one");
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
      Process p = new ProcessBuilder(python, "-c", "import pyarrow").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
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

  private List<ModelDefinition> discoverNow(List<Path> files) {
    List<String> command = new ArrayList<>(pythonCommand);
    command.addAll(List.of("-B", "-m", "tarn.discover"));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    String path = builder.environment().get("PYTHONPATH");
    builder.environment().put("PYTHONPATH",
        runtimeSource + (path == null || path.isBlank() ? "" : java.io.File.pathSeparator + path));
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Path stderr = null;
    try {
      stderr = Files.createTempFile("tarn-discover", ".err");
      builder.redirectError(stderr.toFile());
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out;
      try (var in = process.getInputStream()) {
        out = in.readAllBytes(); // returns when the process ends (or closes stdout)
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new PipelinePlanException("discovering models in " + files + " took longer than " + timeout);
      }
      if (process.exitValue() != 0) {
        String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
        throw new PipelinePlanException("cannot load Python models from " + blame(files, err) + ":\n" + clip(err));
      }
      return parse(JSON.readTree(out));
    } catch (IOException e) {
      throw new PipelinePlanException("cannot run model discovery (" + String.join(" ", pythonCommand) + "): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelinePlanException("interrupted while discovering models", e);
    } finally {
      if (stderr != null) {
        try {
          Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
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
      result.add(new ModelDefinition(node.path("name").asText(), k, Path.of(node.path("file").asText()),
          node.path("function").asText(), node.path("materialize").asBoolean(false), schema, version, pins,
          inputs, parameters, null));
    }
    return result;
  }
}
