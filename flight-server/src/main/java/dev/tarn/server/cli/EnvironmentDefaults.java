package dev.tarn.server.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for {@code tarn serve}'s options from environment variables, so a container is configured the way
 * containers usually are: {@code --port} from {@code TARN_SERVE_PORT}, {@code --s3-path-style} from
 * {@code TARN_SERVE_S3_PATH_STYLE=true}. A flag on the command line wins over the variable, the variable over the
 * built-in default; an empty variable counts as unset (an env file may leave a line blank).
 *
 * <p>The prefix is {@code TARN_SERVE_}, not {@code TARN_}, because plain {@code TARN_} names already mean other
 * things to the server (for example {@code TARN_CACHE_DIR}, the Python package cache, versus {@code --cache-dir}).
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
  public static final String PREFIX = "TARN_SERVE_";

  private final Function<String, String> environment;

  /** Reads the process environment; picocli creates it this way from {@code @Command(defaultValueProvider)}. */
  public EnvironmentDefaults() {
    this(System::getenv);
  }

  EnvironmentDefaults(Map<String, String> environment) {
    this(environment::get);
  }

  private EnvironmentDefaults(Function<String, String> environment) {
    this.environment = environment;
  }

  /** {@code --s3-path-style} to {@code TARN_SERVE_S3_PATH_STYLE}. */
  public static String variableFor(String longOptionName) {
    String bare = longOptionName.replaceFirst("^-+", "");
    return PREFIX + bare.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** The variable an option reads and its value, when that variable is set and not empty. */
  Optional<Map.Entry<String, String>> setting(OptionSpec option) {
    // --help and --version stay flags only: a stray TARN_SERVE_HELP must not turn the server into a help page
    if (option.usageHelp() || option.versionHelp()) {
      return Optional.empty();
    }
    String variable = variableFor(option.longestName());
    String value = environment.apply(variable);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(Map.entry(variable, value));
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (argument instanceof OptionSpec option) {
      return setting(option).map(Map.Entry::getValue).orElse(null);
    }
    return null;
  }
}
