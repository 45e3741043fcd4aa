package dev.tarn.executor.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One model or expectation of a project, as loaded from its file (nothing resolved yet).
 *
 * @param name model name (expectations: the function name)
 * @param kind what it is
 * @param file the file defining it
 * @param function Python function name (null for SQL models)
 * @param materialize whether its output is written as a table
 * @param schema the schema it materializes into, or null for the project schema
 * @param pythonVersion declared {@code @python} version, or null when not declared
 * @param pins declared pip pins (empty when none)
 * @param inputs declared inputs, in declaration order
 * @param parameters argument name to run-parameter name ({@code tarn.Parameter})
 * @param sql the query of a SQL model (null otherwise)
 */
public record ModelDefinition(
    String name,
    Kind kind,
    Path file,
    String function,
    boolean materialize,
    String schema,
    String pythonVersion,
    Map<String, String> pins,
    List<DeclaredInput> inputs,
    Map<String, String> parameters,
    String sql) {

  public enum Kind { SQL_MODEL, PYTHON_MODEL, EXPECTATION }

  public ModelDefinition {
    pins = pins == null ? Map.of() : Map.copyOf(pins);
    inputs = List.copyOf(inputs);
    parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
  }

  public boolean isModel() {
    return kind != Kind.EXPECTATION;
  }
}
