package dev.tarn.executor.python;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment variables of the processes Tarn starts for pipelines. They never inherit the
 * server's environment, which may hold its password variable, object-store keys or anything else
 * its operator exported: a process sees only the variables listed here.
 *
 * <ul>
 *   <li>Python models, expectations and model discovery (user code): {@code PATH}; {@code HOME},
 *       {@code TMPDIR}, {@code TMP} and {@code TEMP} pointing at the run's own folder; the locale
 *       ({@code LANG}, {@code LC_ALL}, {@code LC_CTYPE}, {@code C.UTF-8} when the server has none)
 *       and {@code TZ} when set; plus what Tarn itself passes (discovery: {@code PYTHONPATH} to
 *       Tarn's runtime and {@code PYTHONDONTWRITEBYTECODE}).
 *   <li>uv, which assembles environments: the same, with the server's {@code HOME} (uv's own
 *       settings live there), and what it needs to reach a package index: {@code UV_*}, proxies
 *       ({@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code ALL_PROXY}, {@code NO_PROXY}, either case)
 *       and certificate locations ({@code SSL_CERT_FILE}, {@code SSL_CERT_DIR}).
 * </ul>
 */
public final class ChildEnvironment {
  /** Taken from the server's environment when set, for every process. */
  static final List<String> PASSED = List.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ");
  /** Also taken for uv, which downloads packages. */
  static final List<String> PASSED_TO_UV = List.of("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
      "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY");
  private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private ChildEnvironment() {}

  /**
   * What a Python model, expectation or discovery process sees.
   *
   * @param server the server's environment ({@code System.getenv()})
   * @param home the run's folder: the process's home and temporary folder
   * @param tarn variables Tarn passes on purpose
   */
  public static Map<String, String> forPython(Map<String, String> server, Path home, Map<String, String> tarn) {
    Map<String, String> env = base(server);
    String folder = home.toAbsolutePath().toString();
    for (String name : List.of("HOME", "TMPDIR", "TMP", "TEMP")) {
      env.put(name, folder);
    }
    env.putAll(tarn);
    return env;
  }

  /** What uv sees: see the class comment. */
  public static Map<String, String> forUv(Map<String, String> server, Map<String, String> tarn) {
    Map<String, String> env = base(server);
    server.forEach((name, value) -> {
      String upper = name.toUpperCase(Locale.ROOT);
      if (name.startsWith("UV_") || PASSED_TO_UV.contains(upper)) {
        env.put(name, value);
      }
    });
    env.putAll(tarn);
    return env;
  }

  /** Replaces a process builder's inherited environment with {@code env}. */
  public static ProcessBuilder apply(ProcessBuilder builder, Map<String, String> env) {
    Map<String, String> target = builder.environment();
    target.clear();
    target.putAll(env);
    return builder;
  }

  private static Map<String, String> base(Map<String, String> server) {
    Map<String, String> env = new TreeMap<>();
    for (String name : PASSED) {
      String value = server.get(name);
      if (value != null && !value.isEmpty()) {
        env.put(name, value);
      }
    }
    env.putIfAbsent("PATH", DEFAULT_PATH);
    if (!env.containsKey("LANG") && !env.containsKey("LC_ALL") && !env.containsKey("LC_CTYPE")) {
      env.put("LANG", "C.UTF-8");
    }
    return env;
  }
}
