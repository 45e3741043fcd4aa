package dev.tarn.executor.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model or expectation of a project, as loaded from its file (nothing resolved yet).
 *
 * @param name model name (expectations: the function name)
 * @param kind what it is
 * @param file the file defining it
 * @param function Python function name (null for SQL models)
 * @param materialization whether and how its output is written as a table
 * @param schema the schema it materializes into, or null for the project schema
 * @param pythonVersion declared {@code @python} version, or null when not declared
 * @param pins declared pip pins (empty when none)
 * @param inputs declared inputs, in declaration order
 * @param parameters argument name to run-parameter name ({@code tarn.Parameter}); for a SQL model
 *     each {@code $name} it reads, to itself
 * @param sql the query of a SQL model, a {@code ?} per run parameter (null otherwise)
 * @param sqlParameters the run parameter of each {@code ?} of {@code sql}, in order (empty otherwise)
 * @param internetAccess the declared {@code internet_access}, or null when not declared
 */
public record ModelDefinition(
    String name,
    Kind kind,
    Path file,
    String function,
    Materialization materialization,
    String schema,
    String pythonVersion,
    Map<String, String> pins,
    List<DeclaredInput> inputs,
    Map<String, String> parameters,
    String sql,
    List<String> sqlParameters,
    Boolean internetAccess) {

  public enum Kind { SQL_MODEL, PYTHON_MODEL, EXPECTATION }

  public ModelDefinition {
    Objects.requireNonNull(materialization, "materialization");
    pins = pins == null ? Map.of() : Map.copyOf(pins);
    inputs = List.copyOf(inputs);
    parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    sqlParameters = sqlParameters == null ? List.of() : List.copyOf(sqlParameters);
  }

  /** A model as {@code materialize=True|False} declares it, without SQL parameters or internet access. */
  public ModelDefinition(String name, Kind kind, Path file, String function, boolean materialize, String schema,
      String pythonVersion, Map<String, String> pins, List<DeclaredInput> inputs, Map<String, String> parameters,
      String sql) {
    this(name, kind, file, function, materialize ? Materialization.REPLACE : Materialization.NONE, schema,
        pythonVersion, pins, inputs, parameters, sql, List.of(), null);
  }

  public boolean isModel() {
    return kind != Kind.EXPECTATION;
  }

  /** Whether its output is written as a table. */
  public boolean materialize() {
    return materialization != Materialization.NONE;
  }

  /** The same definition read from {@code other}. */
  public ModelDefinition withFile(Path other) {
    return new ModelDefinition(name, kind, other, function, materialization, schema, pythonVersion, pins, inputs,
        parameters, sql, sqlParameters, internetAccess);
  }
}
