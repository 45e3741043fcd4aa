package dev.tarn.core.pipeline;

import dev.tarn.core.TarnException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code WITH (...)} options of {@code RUN PIPELINE}: {@code dry_run = true|false} and
 * {@code param.<name> = value}. Anything else is refused by name, so a typo never silently runs a
 * real run.
 *
 * @param dryRun run everything, commit nothing
 * @param parameters run parameters by name: text from SQL and the command line, which the run
 *     converts to each parameter's declared type; a JSON request's numbers and booleans keep their
 *     types (Long, Double, Boolean)
 */
public record RunOptions(boolean dryRun, Map<String, Object> parameters) {
  private static final String PARAM_PREFIX = "param.";

  public RunOptions {
    parameters = Map.copyOf(parameters);
  }

  /**
   * @param options option name to value: a String, or a JSON request's Number or Boolean (other
   *     values, such as a JSON null, list or object, are refused by the parameter's name)
   */
  public static RunOptions parse(Map<String, ?> options) {
    boolean dryRun = false;
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, ?> option : options.entrySet()) {
      String key = option.getKey();
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("dry_run")) {
        dryRun = switch (String.valueOf(option.getValue()).toLowerCase(Locale.ROOT)) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new TarnException(TarnException.Kind.INVALID_ARGUMENT,
              "RUN PIPELINE option dry_run must be true or false, not '" + option.getValue() + "'");
        };
      } else if (lower.startsWith(PARAM_PREFIX) && key.length() > PARAM_PREFIX.length()) {
        parameters.put(key.substring(PARAM_PREFIX.length()), parameterValue(key, option.getValue()));
      } else {
        throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, "unknown RUN PIPELINE option '"
            + key + "': the options are dry_run = true|false and param.<name> = value");
      }
    }
    return new RunOptions(dryRun, parameters);
  }

  private static Object parameterValue(String option, Object value) {
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof java.math.BigDecimal d) {
      return d; // exact: each declared type converts it (a str keeps its digits, 1.10 stays 1.10)
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof java.math.BigInteger) {
      return value instanceof java.math.BigInteger ? value : ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue();
    }
    throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, "run parameter '"
        + option.substring(PARAM_PREFIX.length()) + "' must be a string, a number or a boolean, not "
        + (value == null ? "null" : value.getClass().getSimpleName()));
  }
}
