package dev.tarn.executor.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded pipeline project folder.
 *
 * @param directory the project folder
 * @param name project name ({@code name}, else the folder name)
 * @param schema where materialized tables go and unqualified inputs resolve ({@code public} by default)
 * @param defaultPythonVersion {@code python_version} of {@code tarn_project.yml}, or null
 * @param parameters declared run parameters by name, with their types and defaults
 * @param timeout per-model time limit ({@code timeout_seconds}, default 10 minutes)
 * @param definitions models and expectations in file order
 */
public record Project(
    Path directory,
    String name,
    String schema,
    String defaultPythonVersion,
    Map<String, ProjectParameter> parameters,
    Duration timeout,
    List<ModelDefinition> definitions) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  public Project {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    definitions = List.copyOf(definitions);
  }
}
