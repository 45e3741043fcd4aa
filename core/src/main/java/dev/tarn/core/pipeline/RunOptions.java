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
 * @param parameters run parameters by name
 */
public record RunOptions(boolean dryRun, Map<String, String> parameters) {
  private static final String PARAM_PREFIX = "param.";

  public RunOptions {
    parameters = Map.copyOf(parameters);
  }

  public static RunOptions parse(Map<String, String> options) {
    boolean dryRun = false;
    Map<String, String> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, String> option : options.entrySet()) {
      String key = option.getKey();
      String lower = key.toLowerCase(Locale.ROOT);
      if (lower.equals("dry_run")) {
        dryRun = switch (option.getValue().toLowerCase(Locale.ROOT)) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new TarnException(TarnException.Kind.INVALID_ARGUMENT,
              "RUN PIPELINE option dry_run must be true or false, not '" + option.getValue() + "'");
        };
      } else if (lower.startsWith(PARAM_PREFIX) && key.length() > PARAM_PREFIX.length()) {
        parameters.put(key.substring(PARAM_PREFIX.length()), option.getValue());
      } else {
        throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, "unknown RUN PIPELINE option '"
            + key + "': the options are dry_run = true|false and param.<name> = value");
      }
    }
    return new RunOptions(dryRun, parameters);
  }
}
