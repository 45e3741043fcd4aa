package dev.tarn.executor.pipeline;

import java.util.Objects;

/**
 * A run parameter the project file declares.
 *
 * @param name the parameter's name
 * @param type its declared type ({@code str} when the project file gives only a default)
 * @param defaultValue the default, already of {@code type}; null when there is none
 * @param required whether a run must give a value (a parameter with neither a default nor {@code
 *     required: true} reaches models as None, as in Bauplan)
 * @param description what it is for, or null
 */
public record ProjectParameter(String name, ParameterType type, Object defaultValue, boolean required,
    String description) {
  public ProjectParameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }
}
