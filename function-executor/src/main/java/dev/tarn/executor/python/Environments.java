package dev.tarn.executor.python;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles model environments from a content-addressed package cache with
 * <a href="https://github.com/astral-sh/uv">uv</a>: one virtual environment per {@link
 * EnvironmentSpec#hash()} under {@code <cache>/envs/<runtime>}, packages hard-linked from {@code <cache>/uv}.
 * The first use of a spec installs only what the cache lacks; later uses find the environment and
 * cost nothing. uv never downloads interpreters here: the Python version must exist on the executor.
 *
 * <p>Every environment gets pyarrow (the model's own pin wins) and sees Tarn's runtime package
 * ({@code python/tarn-runtime/src}, so {@code import tarn} and {@code import bauplan}) through a
 * {@code .pth} file in its site-packages. That file names one runtime folder, so environments are
 * kept per runtime folder ({@code <runtime>} is a digest of its path): two Tarn installations sharing
 * the cache (or one moved or upgraded) never run models against each other's runtime.
 */
public final class Environments {
  private static final Logger LOG = LoggerFactory.getLogger(Environments.class);

  /** The pyarrow version an environment gets when its model does not pin one. */
  public static final String DEFAULT_PYARROW = "26.0.1";

  private static final String READY_MARKER = "tarn-env.json";
  private static final int MAX_MESSAGE = 2_000;

  private final Path envsDir;
  private final Path uvCacheDir;
  private final Path uv;
  private final Path runtimeSource;
  private final Duration commandTimeout;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * @param cacheDir Tarn's cache folder; environments and uv's package cache live under it (one file
   *     system, so packages are hard-linked rather than copied)
   * @param uv the uv executable
   * @param runtimeSource the folder holding the {@code tarn} and {@code bauplan} packages
   * @param commandTimeout how long one uv command may take (downloads included) before it is killed
   */
  public Environments(Path cacheDir, Path uv, Path runtimeSource, Duration commandTimeout) {
    Path cache = cacheDir.toAbsolutePath().normalize();
    this.uvCacheDir = cache.resolve("uv");
    this.uv = uv;
    this.runtimeSource = runtimeSource.toAbsolutePath().normalize();
    this.envsDir = cache.resolve("envs").resolve(digest(this.runtimeSource.toString()));
    this.commandTimeout = commandTimeout;
    if (!Files.isRegularFile(this.runtimeSource.resolve("tarn").resolve("run.py"))) {
      throw new EnvironmentException("Tarn's Python runtime is not at " + this.runtimeSource
          + " (expected tarn/run.py there)");
    }
  }

  /**
   * Environments under {@code cacheDir}, with uv and the runtime found as {@link #findUv()} and
   * {@link #findRuntime()} describe; an {@link EnvironmentException} says what is missing.
   */
  public static Environments locate(Path cacheDir) {
    Path uv = findUv().orElseThrow(() -> new EnvironmentException(
        "uv is needed to assemble Python model environments and was not found: install it with "
            + "`pip install uv` (./tarn serve installs it into .venv from python/requirements-server.txt), "
            + "put it on PATH, or point TARN_UV at it"));
    Path runtime = findRuntime().orElseThrow(() -> new EnvironmentException(
        "Tarn's Python runtime (python/tarn-runtime/src) was not found: set TARN_RUNTIME_DIR to it"));
    return new Environments(cacheDir, uv, runtime, Duration.ofMinutes(10));
  }

  /** {@code $TARN_CACHE_DIR}, else {@code ~/.cache/tarn}. */
  public static Path defaultCacheDir() {
    String configured = System.getenv("TARN_CACHE_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "tarn");
  }

  /** {@code $TARN_UV}, else {@code uv} on PATH, else {@code .venv/bin/uv} in the working folder or a parent. */
  public static Optional<Path> findUv() {
    String configured = System.getenv("TARN_UV");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "uv"))) {
          return Optional.of(Path.of(dir, "uv"));
        }
      }
    }
    return upwards(".venv/bin/uv").filter(Files::isExecutable);
  }

  /** The first 12 hex digits of the SHA-256 of {@code text}: a short, stable folder name. */
  private static String digest(String text) {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** {@code $TARN_RUNTIME_DIR}, else {@code python/tarn-runtime/src} in the working folder or a parent. */
  public static Optional<Path> findRuntime() {
    String configured = System.getenv("TARN_RUNTIME_DIR");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured));
    }
    return upwards("python/tarn-runtime/src").filter(p -> Files.isDirectory(p.resolve("tarn")));
  }

  private static Optional<Path> upwards(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public Path uv() {
    return uv;
  }

  public Path environmentsDir() {
    return envsDir;
  }

  /**
   * Assembles every spec before any model runs, so a missing package fails the run up front; specs
   * with equal hashes are assembled once.
   */
  public Map<EnvironmentSpec, PythonEnvironment> assembleAll(Collection<EnvironmentSpec> specs) {
    Map<EnvironmentSpec, PythonEnvironment> assembled = new LinkedHashMap<>();
    for (EnvironmentSpec spec : specs) {
      assembled.computeIfAbsent(spec, this::assemble);
    }
    return assembled;
  }

  /** The environment of a spec: found when it exists, assembled from the package cache otherwise. */
  public PythonEnvironment assemble(EnvironmentSpec spec) {
    long started = System.nanoTime();
    EnvironmentSpec effective = spec.withDefault("pyarrow", DEFAULT_PYARROW);
    String hash = effective.hash();
    Path dir = envsDir.resolve(hash);
    Path python = dir.resolve("bin").resolve("python");
    synchronized (locks.computeIfAbsent(hash, h -> new Object())) {
      if (isReady(dir, python)) {
        return new PythonEnvironment(spec, hash, dir, python, true, since(started));
      }
      try {
        Files.createDirectories(envsDir);
        try (FileChannel lockFile = FileChannel.open(envsDir.resolve(hash + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = lockFile.lock()) {
          if (isReady(dir, python)) { // another executor process assembled it meanwhile
            return new PythonEnvironment(spec, hash, dir, python, true, since(started));
          }
          deleteTree(dir); // a half-built environment from an interrupted attempt
          build(spec, effective, dir);
        }
      } catch (IOException e) {
        throw new EnvironmentException("cannot assemble the environment for " + spec + ": " + e.getMessage(), e);
      }
      Duration took = since(started);
      LOG.info("assembled Python environment {} ({}) in {} ms", hash, effective, took.toMillis());
      return new PythonEnvironment(spec, hash, dir, python, false, took);
    }
  }

  private static boolean isReady(Path dir, Path python) {
    return Files.isRegularFile(dir.resolve(READY_MARKER)) && Files.isExecutable(python);
  }

  private void build(EnvironmentSpec spec, EnvironmentSpec effective, Path dir) throws IOException {
    Files.createDirectories(uvCacheDir);
    Command venv = uv(List.of("venv", "--python", effective.pythonVersion(), dir.toString()));
    if (venv.exitCode != 0) {
      deleteTree(dir);
      if (venv.output.contains("No interpreter found")) {
        throw new EnvironmentException("Python " + effective.pythonVersion()
            + " is not available on this executor (Tarn does not download interpreters): install it "
            + "on the executor or declare an installed version in @tarn.python(...)");
      }
      throw new EnvironmentException("cannot create a Python " + effective.pythonVersion()
          + " environment: " + clip(venv.output));
    }
    List<String> install = new ArrayList<>(List.of("pip", "install", "--python", dir.resolve("bin/python").toString()));
    install.addAll(effective.requirements());
    // From the package cache alone first (no index round trip); the index only for what it lacks.
    List<String> offline = new ArrayList<>(install);
    offline.add("--offline");
    Command pip = uv(offline);
    if (pip.exitCode != 0) {
      pip = uv(install);
    }
    if (pip.exitCode != 0) {
      deleteTree(dir);
      throw new EnvironmentException(installFailure(spec, effective, pip.output));
    }
    Path sitePackages;
    try (Stream<Path> lib = Files.list(dir.resolve("lib"))) {
      sitePackages = lib.map(p -> p.resolve("site-packages")).filter(Files::isDirectory).findFirst()
          .orElseThrow(() -> new IOException("no site-packages in " + dir));
    }
    Files.writeString(sitePackages.resolve("tarn-runtime.pth"), runtimeSource + "\n");
    Files.writeString(dir.resolve(READY_MARKER), "{\"python\": \"" + effective.pythonVersion()
        + "\", \"pins\": [" + effective.requirements().stream().map(r -> "\"" + r + "\"")
            .collect(Collectors.joining(", ")) + "], \"created\": \"" + Instant.now() + "\"}\n");
  }

  /** Names the pins uv complained about, so the message points at the model author's mistake. */
  static String installFailure(EnvironmentSpec declared, EnvironmentSpec effective, String uvOutput) {
    String lower = uvOutput.toLowerCase(java.util.Locale.ROOT);
    List<String> named = effective.pins().entrySet().stream()
        .filter(pin -> lower.contains(pin.getKey()) || lower.contains(pin.getKey().replace('-', '_')))
        .map(pin -> pin.getKey() + "==" + pin.getValue())
        .toList();
    String detail = uvOutput.lines()
        .filter(line -> !line.startsWith("Using Python") && !line.startsWith("Resolved"))
        .map(String::strip).filter(line -> !line.isEmpty())
        .collect(Collectors.joining(" "));
    String what = named.isEmpty() ? "the pip packages of " + declared
        : (named.size() == 1 ? "pip package " : "pip packages ") + String.join(", ", named);
    return "cannot assemble the environment (" + declared + "): " + what
        + " could not be installed from the package index: " + clip(detail);
  }

  private record Command(int exitCode, String output) {}

  private Command uv(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(uv.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // uv builds packages (running their build code): it gets what reaching an index takes, no secrets.
    Map<String, String> tarn = new LinkedHashMap<>();
    tarn.put("UV_CACHE_DIR", uvCacheDir.toString());
    tarn.put("UV_LINK_MODE", "hardlink");
    tarn.put("UV_PYTHON_DOWNLOADS", "never");
    tarn.put("UV_NO_PROGRESS", "1");
    tarn.put("UV_HTTP_TIMEOUT", System.getenv().getOrDefault("UV_HTTP_TIMEOUT", "60"));
    ChildEnvironment.apply(builder, ChildEnvironment.forUv(System.getenv(), tarn));
    Path log = Files.createTempFile(envsDir, "uv-", ".log");
    try {
      builder.redirectOutput(log.toFile());
      Process process = builder.start();
      boolean finished;
      try {
        finished = process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        ProcessTrees.destroy(process); // with any package build it started
        Thread.currentThread().interrupt();
        throw new EnvironmentException("interrupted while assembling an environment (uv " + args.get(0) + ")", e);
      }
      if (!finished) {
        ProcessTrees.destroy(process);
        throw new EnvironmentException("uv " + String.join(" ", args) + " did not finish within "
            + commandTimeout.toSeconds() + " s (is the package index reachable?)");
      }
      return new Command(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String clip(String text) {
    String flat = text.strip();
    return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + " ...";
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Deletes a folder and everything under it (nothing when it does not exist). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
