package dev.tarn.executor.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Loads a project folder: a project file (optional: {@code tarn_project.yml}, or Bauplan's {@code
 * bauplan_project.yml} / {@code .yaml}; never two), Python models ({@code *.py}, found by
 * their decorators) and SQL models ({@code *.sql}, one per file, named after it, its inputs the tables
 * {@link SqlInspector#tablesRead} finds in its query). Only the top level
 * of the folder is read; files are taken in name order.
 *
 * <p>Project file keys: {@code name} (or Bauplan's {@code project: {id, name}}; the id is accepted
 * and not used), {@code schema} (default {@code public}), {@code python_version} (or {@code python:
 * {version: ...}}), {@code timeout_seconds}, and {@code parameters} ({@link ProjectParameters}).
 */
public final class ProjectLoader {
  public static final String PROJECT_FILE = "tarn_project.yml";
  /** The names a project file may have, Tarn's first: a folder holds at most one of them. */
  public static final List<String> PROJECT_FILES = List.of(PROJECT_FILE, "bauplan_project.yml", "bauplan_project.yaml");

  private final ModelDiscovery discovery;
  private final SqlInspector sql;

  /**
   * @param discovery reads Python models; null for the machine's discovery Python ({@link
   *     ModelDiscovery#locate()}), located when the first Python file is met
   * @param sql finds the tables SQL models read
   */
  public ProjectLoader(ModelDiscovery discovery, SqlInspector sql) {
    this.discovery = discovery;
    this.sql = Objects.requireNonNull(sql, "sql");
  }

  /** With the machine's discovery Python ({@link ModelDiscovery#locate()}), located on first Python file. */
  public static Project load(Path dir, SqlInspector sql) {
    return new ProjectLoader(null, sql).loadProject(dir);
  }

  public Project loadProject(Path dir) {
    Path directory = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(directory)) {
      throw new PipelinePlanException("pipeline project folder " + directory + " does not exist");
    }
    Map<String, Object> config = Map.of();
    Path projectFile = projectFile(directory);
    if (Files.isRegularFile(projectFile)) {
      config = ProjectYaml.parse(read(projectFile), projectFile.toString());
    }
    String name = scalar(config, "name", projectFile);
    if (name == null && config.get("project") instanceof Map<?, ?> block) {
      // Bauplan's project block: {id, name}; the id binds Bauplan's secrets, which Tarn does not keep
      Object blockName = block.get("name");
      if (blockName instanceof Map) {
        throw new PipelinePlanException(projectFile + ": 'project.name' must be a single value");
      }
      name = (String) blockName;
    } else if (config.get("project") != null && !(config.get("project") instanceof Map)) {
      throw new PipelinePlanException(projectFile + ": 'project' must be a mapping with id and name");
    }
    String schema = scalar(config, "schema", projectFile);
    if (schema == null) {
      schema = "public";
    } else if (!TableName.isIdentifier(schema)) {
      throw new PipelinePlanException(projectFile + ": schema '" + schema + "' is not a valid identifier");
    }
    String python = scalar(config, "python_version", projectFile);
    if (python == null && config.get("python") instanceof Map<?, ?> nested) {
      python = nested.get("version") instanceof String s ? s : null;
    } else if (python == null) {
      python = scalar(config, "python", projectFile);
    }
    Duration timeout = Project.DEFAULT_TIMEOUT;
    String timeoutText = scalar(config, "timeout_seconds", projectFile);
    if (timeoutText != null) {
      try {
        timeout = Duration.ofSeconds(Long.parseLong(timeoutText));
      } catch (NumberFormatException e) {
        throw new PipelinePlanException(projectFile + ": timeout_seconds must be a whole number, got '" + timeoutText + "'");
      }
    }
    Map<String, ProjectParameter> parameters = ProjectParameters.read(config.get("parameters"), projectFile);

    List<Path> pyFiles = new ArrayList<>();
    List<Path> sqlFiles = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.filter(Files::isRegularFile).sorted().forEach(f -> {
        String file = f.getFileName().toString();
        if (file.endsWith(".py")) {
          pyFiles.add(f);
        } else if (file.endsWith(".sql")) {
          sqlFiles.add(f);
        }
      });
    } catch (IOException e) {
      throw new PipelinePlanException("cannot list " + directory + ": " + e.getMessage(), e);
    }
    List<ModelDefinition> definitions = new ArrayList<>();
    if (!pyFiles.isEmpty()) {
      ModelDiscovery d = discovery != null ? discovery : ModelDiscovery.locate();
      definitions.addAll(d.discover(pyFiles));
    }
    for (Path sqlFile : sqlFiles) {
      definitions.add(sqlModel(sqlFile));
    }
    return new Project(directory, name != null ? name : directory.getFileName().toString(), schema, python,
        parameters, timeout, definitions);
  }

  /**
   * The folder's project file, or where {@code tarn_project.yml} would be when it has none.
   *
   * @throws PipelinePlanException when the folder holds more than one project file
   */
  static Path projectFile(Path directory) {
    List<String> present = PROJECT_FILES.stream().filter(f -> Files.isRegularFile(directory.resolve(f))).toList();
    if (present.size() > 1) {
      throw new PipelinePlanException("the project folder " + directory + " holds " + String.join(" and ", present)
          + ": keep one project file (Tarn reads " + String.join(", ", PROJECT_FILES) + ", whichever is there)");
    }
    return directory.resolve(present.isEmpty() ? PROJECT_FILE : present.get(0));
  }

  /** A SQL model: named after its file, configured by a first-line {@code -- tarn: k=v, ...} comment. */
  ModelDefinition sqlModel(Path file) {
    String fileName = file.getFileName().toString();
    String name = fileName.substring(0, fileName.length() - ".sql".length());
    if (!TableName.isIdentifier(name)) {
      throw new PipelinePlanException("SQL model file " + file + ": '" + name
          + "' is not a valid model name (file names must be identifiers)");
    }
    SqlModelText model;
    try {
      model = sql.readModel(read(file));
    } catch (IllegalArgumentException e) {
      throw new PipelinePlanException(file + ": " + e.getMessage());
    }
    Materialization materialization = Materialization.NONE;
    String schema = null;
    for (Map.Entry<String, String> option : model.options().entrySet()) {
      String value = option.getValue();
      switch (option.getKey()) {
        case "materialize" -> {
          if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new PipelinePlanException(file + ": materialize must be true or false, got '" + value + "'");
          }
          materialization = Boolean.parseBoolean(value.toLowerCase(Locale.ROOT)) ? Materialization.REPLACE
              : Materialization.NONE;
        }
        case "materialization_strategy" -> materialization = Materialization.named(value, file.toString());
        case "schema" -> {
          if (!TableName.isIdentifier(value)) {
            throw new PipelinePlanException(file + ": schema '" + value + "' is not a valid identifier");
          }
          schema = value;
        }
        case "cache_strategy", "output_schema" -> {
          // Bauplan's hints for its own cache and typed schemas: accepted, nothing to do in Tarn
        }
        default -> throw new PipelinePlanException(file + ": unknown option '" + option.getKey()
            + "' (known: materialize, materialization_strategy, schema)");
      }
    }
    if (model.query().isEmpty()) {
      throw new PipelinePlanException("SQL model " + name + " (" + file + ") has no query");
    }
    String body = model.query();
    List<String> tables;
    try {
      tables = this.sql.tablesRead(body);
    } catch (RuntimeException e) { // whatever the front end throws, say which model it was reading
      throw new PipelinePlanException("SQL model " + name + " (" + file.getFileName() + "): " + e.getMessage(), e);
    }
    List<DeclaredInput> inputs = new ArrayList<>();
    for (String table : tables) {
      inputs.add(new DeclaredInput(table, table, null, null));
    }
    Map<String, String> parameters = new java.util.LinkedHashMap<>();
    model.parameters().forEach(p -> parameters.put(p, p));
    return new ModelDefinition(name, ModelDefinition.Kind.SQL_MODEL, file.toAbsolutePath().normalize(), null,
        materialization, schema, null, Map.of(), inputs, parameters, body, model.parameters(), null);
  }

  private static String scalar(Map<String, Object> config, String key, Path file) {
    Object value = config.get(key);
    if (value instanceof Map) {
      throw new PipelinePlanException(file + ": '" + key + "' must be a single value");
    }
    return (String) value;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PipelinePlanException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
