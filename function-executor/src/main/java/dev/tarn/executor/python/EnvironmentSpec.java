package dev.tarn.executor.python;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a Python model's environment holds: an interpreter version and exact pip pins, as declared by
 * {@code @tarn.python("3.11", pip={"polars": "1.33.0"})}. Two models with equal specs share one
 * environment; {@link #hash()} is its content address.
 *
 * @param pythonVersion "3.11" or "3.11.7"
 * @param pins package name to exact version; names are normalized (PEP 503) and sorted
 */
public record EnvironmentSpec(String pythonVersion, Map<String, String> pins) {

  private static final Pattern VERSION = Pattern.compile("3\\.[0-9]{1,2}(\\.[0-9]{1,3})?");
  private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
  private static final Pattern PIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+!_-]*");
  /** Bumped when the way environments are laid out changes, so old ones are not reused. */
  private static final String LAYOUT = "tarn-env-v1";

  public EnvironmentSpec {
    if (pythonVersion == null || !VERSION.matcher(pythonVersion.strip()).matches()) {
      throw new EnvironmentException(
          "invalid Python version '" + pythonVersion + "': expected a version like 3.11");
    }
    pythonVersion = pythonVersion.strip();
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> pin : (pins == null ? Map.<String, String>of() : pins).entrySet()) {
      String name = pin.getKey() == null ? "" : pin.getKey().strip();
      String version = pin.getValue() == null ? "" : pin.getValue().strip();
      if (!PACKAGE.matcher(name).matches()) {
        throw new EnvironmentException("invalid pip package name '" + pin.getKey() + "'");
      }
      if (!PIN.matcher(version).matches()) {
        throw new EnvironmentException("invalid version '" + pin.getValue() + "' for pip package '"
            + name + "': pins are exact versions such as 1.33.0");
      }
      if (sorted.put(normalize(name), version) != null) {
        throw new EnvironmentException("pip package '" + name + "' is pinned twice");
      }
    }
    pins = java.util.Collections.unmodifiableMap(sorted);
  }

  public static EnvironmentSpec of(String pythonVersion, Map<String, String> pins) {
    return new EnvironmentSpec(pythonVersion, pins);
  }

  /** PEP 503 name normalization: "Foo_Bar.baz" and "foo-bar-baz" are the same package. */
  public static String normalize(String packageName) {
    return packageName.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  /** Requirements in pip syntax, sorted: {@code polars==1.33.0}. */
  public java.util.List<String> requirements() {
    return pins.entrySet().stream().map(e -> e.getKey() + "==" + e.getValue()).toList();
  }

  /** The content address of this environment: 16 hex digits of a SHA-256 over version and pins. */
  public String hash() {
    String canonical = LAYOUT + "\npython=" + pythonVersion + "\n"
        + pins.entrySet().stream().map(e -> e.getKey() + "==" + e.getValue() + "\n")
            .collect(Collectors.joining());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** With one more pin, unless the package is pinned already (the model's own pin wins). */
  EnvironmentSpec withDefault(String packageName, String version) {
    if (pins.containsKey(normalize(packageName))) {
      return this;
    }
    TreeMap<String, String> more = new TreeMap<>(pins);
    more.put(normalize(packageName), version);
    return new EnvironmentSpec(pythonVersion, more);
  }

  @Override
  public String toString() {
    return "python " + pythonVersion + (pins.isEmpty() ? "" : " with " + String.join(", ", requirements()));
  }
}
