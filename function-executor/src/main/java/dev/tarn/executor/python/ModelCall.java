package dev.tarn.executor.python;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One run of one Python model (or expectation) in its own process.
 *
 * @param module the {@code .py} file defining it
 * @param model its model name ({@code @tarn.model(name=...)}, else the function name)
 * @param environment where it runs, from {@link Environments#assemble}
 * @param inputs input name (as in {@code tarn.Model("name")}) to its table
 * @param parameters run parameters by {@code tarn.Parameter} name
 * @param timeout wall-clock limit; the process is killed when it is exceeded
 * @param memoryLimitBytes address-space limit of the process (RLIMIT_AS), 0 for none
 * @param withoutNetwork run the process without network access ({@link NetworkIsolation})
 */
public record ModelCall(
    Path module,
    String model,
    PythonEnvironment environment,
    Map<String, ModelInput> inputs,
    Map<String, Object> parameters,
    Duration timeout,
    long memoryLimitBytes,
    boolean withoutNetwork,
    String owner) {

  /** Default limits: 10 minutes, 8 GiB of address space. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final long DEFAULT_MEMORY_LIMIT = 8L << 30;

  public ModelCall {
    owner = owner == null ? "" : owner;
    module = module.toAbsolutePath().normalize();
    inputs = Map.copyOf(inputs);
    parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters)); // None is a value
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("a model call needs the model's name");
    }
    if (timeout.isNegative() || timeout.isZero() || memoryLimitBytes < 0) {
      throw new IllegalArgumentException("timeout must be positive and memoryLimitBytes not negative");
    }
  }

  public static ModelCall of(Path module, String model, PythonEnvironment environment, Map<String, ModelInput> inputs) {
    return new ModelCall(module, model, environment, inputs, Map.of(), DEFAULT_TIMEOUT, DEFAULT_MEMORY_LIMIT, false, "");
  }

  /** @param values run parameters: String, Long, Double, Boolean or null (None) */
  public ModelCall withParameters(Map<String, ?> values) {
    return new ModelCall(module, model, environment, inputs, new java.util.LinkedHashMap<>(values), timeout,
        memoryLimitBytes, withoutNetwork, owner);
  }

  public ModelCall withTimeout(Duration limit) {
    return new ModelCall(module, model, environment, inputs, parameters, limit, memoryLimitBytes, withoutNetwork, owner);
  }

  public ModelCall withMemoryLimit(long bytes) {
    return new ModelCall(module, model, environment, inputs, parameters, timeout, bytes, withoutNetwork, owner);
  }

  public ModelCall withoutNetwork(boolean isolated) {
    return new ModelCall(module, model, environment, inputs, parameters, timeout, memoryLimitBytes, isolated, owner);
  }

  /** @param user whose code this is: a warm worker runs one user's models only */
  public ModelCall withOwner(String user) {
    return new ModelCall(module, model, environment, inputs, parameters, timeout, memoryLimitBytes, withoutNetwork,
        user);
  }
}
