package dev.tarn.executor.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code parameters:} block of a project file. Each parameter is either a plain default
 * ({@code country: IT}, a {@code str}; an empty value makes it required), or Bauplan's typed form:
 *
 * <pre>
 * parameters:
 *   min_usd:
 *     type: float          # int, float, bool, str or secret (default str)
 *     default: 10.5        # checked against the type
 *     description: smallest amount kept
 *     required: false      # true: a run must give it
 * </pre>
 *
 * A typed parameter with neither a default nor {@code required: true} reaches models as None.
 * Bauplan's encrypted secret defaults ({@code key:}) cannot be read outside Bauplan: a secret's
 * value is given at run time or as a plain default.
 */
final class ProjectParameters {
  private static final Set<String> KEYS = Set.of("type", "default", "description", "required", "key");

  private ProjectParameters() {}

  static Map<String, ProjectParameter> read(Object block, Path file) {
    Map<String, ProjectParameter> parameters = new LinkedHashMap<>();
    if (block == null) {
      return parameters;
    }
    if (!(block instanceof Map<?, ?> map)) {
      throw new PipelinePlanException(file + ": parameters must be a mapping of parameter names to a default or"
          + " to {type, default, description}");
    }
    map.forEach((k, v) -> {
      String name = (String) k;
      if (!TableName.isIdentifier(name)) {
        throw new PipelinePlanException(file + ": parameter name '" + name + "' is not an identifier");
      }
      parameters.put(name, v instanceof Map<?, ?> typed ? typed(name, typed, file)
          : new ProjectParameter(name, ParameterType.STR, v, v == null, null));
    });
    return parameters;
  }

  private static ProjectParameter typed(String name, Map<?, ?> declaration, Path file) {
    for (Object key : declaration.keySet()) {
      if (!KEYS.contains(key)) {
        throw new PipelinePlanException(file + ": parameter '" + name + "' has unknown key '" + key
            + "' (known: type, default, description, required)");
      }
      if (declaration.get(key) instanceof Map) {
        throw new PipelinePlanException(file + ": '" + key + "' of parameter '" + name + "' must be a single value");
      }
    }
    String typeName = (String) declaration.get("type");
    ParameterType type = typeName == null ? ParameterType.STR : ParameterType.named(typeName);
    if (type == null) {
      throw new PipelinePlanException(file + ": parameter '" + name + "' has type '" + typeName
          + "'; the types are " + ParameterType.names());
    }
    if (declaration.get("key") != null) {
      throw new PipelinePlanException(file + ": parameter '" + name + "' holds a secret encrypted by Bauplan"
          + " (key: ...), which Tarn cannot read: remove default and key, and give the value when the run"
          + " starts (WITH (param." + name + " = '...'), tarn run --param " + name + "=...)");
    }
    Object defaultValue;
    try {
      defaultValue = type.convert(name, declaration.get("default"));
    } catch (IllegalArgumentException e) {
      throw new PipelinePlanException(file + ": the default of " + e.getMessage());
    }
    Object requiredText = declaration.get("required");
    boolean required = false;
    if (requiredText != null) {
      try {
        required = (Boolean) ParameterType.BOOL.convert(name + ".required", requiredText);
      } catch (IllegalArgumentException e) {
        throw new PipelinePlanException(file + ": 'required' of parameter '" + name + "' must be true or false, not '"
            + requiredText + "'");
      }
    }
    return new ProjectParameter(name, type, defaultValue, required, (String) declaration.get("description"));
  }
}
