package dev.tarn.bench.env;

import dev.tarn.bench.WrongAnswerException;
import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One round of B5 in its own folder: Tarn's three assemblies on a new cache, then the pip baseline's
 * builds of the same pins with the same interpreter. Every environment is checked.
 *
 * @param tarnCold seconds to assemble the spec on the empty cache
 * @param tarnAdd seconds to assemble the spec plus the package
 * @param tarnWarm seconds to assemble the spec plus the package again
 * @param pipSpec a fresh venv with the spec
 * @param pipAdd seconds to pip install the package into {@code pipSpec}'s environment
 * @param pipSpecPlus a fresh venv with the spec plus the package
 * @param interpreter the base interpreter both sides used
 * @param uv the uv Tarn used
 * @param pipVersion {@code pip --version} of the fresh environments
 */
record EnvRound(double tarnCold, double tarnAdd, double tarnWarm, PipBaseline.Build pipSpec, double pipAdd,
    PipBaseline.Build pipSpecPlus, Path interpreter, Path uv, String pipVersion) {

  /**
   * Runs a round in {@code dir} (a new folder).
   *
   * @param spec the environment's spec
   * @param specPlus the same spec plus one package
   */
  static EnvRound run(Path dir, EnvironmentSpec spec, EnvironmentSpec specPlus, PrintStream log)
      throws IOException, InterruptedException {
    // A new cache folder: the cold case, and never the user's own cache.
    Environments environments = Environments.locate(dir.resolve("cache"));
    log.printf(Locale.ROOT, "  uv %s, package cache %s (new, empty)%n", environments.uv(), dir.resolve("cache"));
    Timed cold = assemble(environments, spec, false, "cold", log);
    Timed add = assemble(environments, specPlus, false, "add a package", log);
    Timed warm = assemble(environments, specPlus, true, "warm", log);
    if (!warm.environment().directory().equals(add.environment().directory())) {
      throw new WrongAnswerException("warm: the same spec was given another environment: "
          + warm.environment().directory() + " vs " + add.environment().directory());
    }

    // The interpreter Tarn's environments link to, so both sides run the same Python.
    Path interpreter = cold.environment().python().toRealPath();
    PipBaseline pip = new PipBaseline(interpreter, dir.resolve("pip"));
    Map<String, String> pins = withPyarrow(spec.pins());
    Map<String, String> pinsPlus = withPyarrow(specPlus.pins());
    PipBaseline.Build pipSpec = pip.fresh("spec", pins);
    InstalledPackages.check("pip, spec", pipSpec.python(), pins, false);
    log.printf(Locale.ROOT, "  pip fresh: spec             %8.3f s (venv %.3f s, install %.3f s)%n",
        pipSpec.seconds(), pipSpec.venvSeconds(), pipSpec.installSeconds());
    Map<String, String> added = new TreeMap<>(specPlus.pins());
    added.keySet().removeAll(spec.pins().keySet());
    double pipAdd = pip.add(pipSpec.python(), added);
    InstalledPackages.check("pip, package added", pipSpec.python(), pinsPlus, false);
    log.printf(Locale.ROOT, "  pip add to that environment %8.3f s%n", pipAdd);
    PipBaseline.Build pipSpecPlus = pip.fresh("spec-plus", pinsPlus);
    InstalledPackages.check("pip, spec plus package", pipSpecPlus.python(), pinsPlus, false);
    log.printf(Locale.ROOT, "  pip fresh: spec + package   %8.3f s (venv %.3f s, install %.3f s)%n",
        pipSpecPlus.seconds(), pipSpecPlus.venvSeconds(), pipSpecPlus.installSeconds());
    return new EnvRound(cold.seconds(), add.seconds(), warm.seconds(), pipSpec, pipAdd, pipSpecPlus, interpreter,
        environments.uv(), pip.pipVersion(pipSpec.python()));
  }

  /** One {@link Environments#assemble} call and its wall time. */
  private record Timed(PythonEnvironment environment, double seconds) {}

  private static Timed assemble(Environments environments, EnvironmentSpec spec, boolean reuse, String what,
      PrintStream log) throws IOException, InterruptedException {
    long started = System.nanoTime();
    PythonEnvironment environment = environments.assemble(spec);
    double seconds = (System.nanoTime() - started) / 1e9;
    if (environment.reused() != reuse) {
      throw new WrongAnswerException(what + ": expected " + (reuse ? "the existing" : "a new")
          + " environment for " + spec + ", got " + (environment.reused() ? "an existing" : "a new") + " one");
    }
    InstalledPackages.check("Tarn, " + what, environment.python(), withPyarrow(spec.pins()), true);
    log.printf(Locale.ROOT, "  Tarn %-22s %8.3f s (%s)%n", what + ":", seconds, environment.directory().getFileName());
    return new Timed(environment, seconds);
  }

  /** What a Tarn environment of these pins holds: pyarrow comes with every one, unless pinned. */
  private static Map<String, String> withPyarrow(Map<String, String> pins) {
    Map<String, String> all = new TreeMap<>(pins);
    all.putIfAbsent("pyarrow", Environments.DEFAULT_PYARROW);
    return all;
  }
}
