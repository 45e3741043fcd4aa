package dev.tarn.bench.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B5's baseline: what building an environment costs without Tarn's cache, a fresh {@code python -m
 * venv} and the new environment's own pip installing the spec with {@code --no-cache-dir}, with the
 * interpreter Tarn's environments use.
 */
final class PipBaseline {
  /**
   * Kept out of pip's environment: a local wheel folder would stand in for the downloads that
   * {@code --no-cache-dir} is there to keep.
   */
  private static final List<String> UNSET = List.of("PIP_FIND_LINKS", "PIP_NO_INDEX", "VIRTUAL_ENV", "PYTHONPATH");

  private final Path interpreter;
  private final Path dir;

  /**
   * @param interpreter the base interpreter (not a virtual environment's)
   * @param dir where the virtual environments go
   */
  PipBaseline(Path interpreter, Path dir) {
    this.interpreter = interpreter;
    this.dir = dir;
  }

  /**
   * One fresh environment, timed in two parts.
   *
   * @param python its interpreter
   * @param venvSeconds {@code python -m venv} (which installs pip into it)
   * @param installSeconds {@code pip install --no-cache-dir} of the pins
   */
  record Build(Path python, double venvSeconds, double installSeconds) {
    double seconds() {
      return venvSeconds + installSeconds;
    }
  }

  /** A new virtual environment {@code name} with exactly {@code pins} installed. */
  Build fresh(String name, Map<String, String> pins) throws IOException, InterruptedException {
    Path venv = dir.resolve(name);
    long started = System.nanoTime();
    Commands.run(List.of(interpreter.toString(), "-m", "venv", venv.toString()), UNSET);
    long installing = System.nanoTime();
    Path python = venv.resolve("bin").resolve("python");
    install(python, pins);
    long finished = System.nanoTime();
    return new Build(python, (installing - started) / 1e9, (finished - installing) / 1e9);
  }

  /** Seconds to install {@code pins} into an existing environment, as one adds a package by hand. */
  double add(Path python, Map<String, String> pins) throws IOException, InterruptedException {
    long started = System.nanoTime();
    install(python, pins);
    return (System.nanoTime() - started) / 1e9;
  }

  /** The version of the pip a fresh environment gets. */
  String pipVersion(Path python) throws IOException, InterruptedException {
    return Commands.run(List.of(python.toString(), "-m", "pip", "--version"), UNSET).strip();
  }

  private static void install(Path python, Map<String, String> pins) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python.toString(), "-m", "pip", "install", "--no-cache-dir",
        "--disable-pip-version-check", "--quiet"));
    pins.forEach((name, version) -> command.add(name + "==" + version));
    Commands.run(command, UNSET);
  }
}
