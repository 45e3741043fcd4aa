package dev.tarn.server.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code tarn serve} option may also come from the environment, as containers are configured:
 * {@code --catalog-uri} from {@code TARN_CATALOG_URI}, {@code --s3-path-style} from {@code
 * TARN_S3_PATH_STYLE=true}, and so on ({@code TARN_} and the option's name in capitals, dashes as
 * underscores). A flag on the command line wins over the environment, which wins over the built-in
 * default. Secrets still never travel as values: {@code --password-env} names the variable that
 * holds the password.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  static final String PREFIX = "TARN_";

  private final Map<String, String> environment;

  /** Picocli's constructor: the process environment. */
  EnvironmentDefaults() {
    this(System.getenv());
  }

  EnvironmentDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = environment.get(variableFor(option));
    // null: picocli falls back to the option's own default
    return value == null || value.isEmpty() ? null : value;
  }

  /** {@code --max-sessions-per-user} to {@code TARN_MAX_SESSIONS_PER_USER}. */
  static String variableFor(OptionSpec option) {
    String name = option.longestName().replaceFirst("^-+", "");
    return PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT);
  }
}
