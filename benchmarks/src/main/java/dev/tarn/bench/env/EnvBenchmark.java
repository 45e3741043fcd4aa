package dev.tarn.bench.env;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.Environments;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * B5 env: assembling a Python model environment with Tarn's {@link Environments} (uv, a
 * content-addressed package cache) in three situations, against building the same environment
 * with a fresh {@code python -m venv} and {@code pip install --no-cache-dir}, in the same run.
 *
 * <ul>
 *   <li><b>cold</b>: the spec, on a new empty cache folder: every package is downloaded;
 *   <li><b>add a package</b>: the spec plus one small package, a new environment whose other
 *       packages come from the cache;
 *   <li><b>warm</b>: the same spec again, found assembled.
 * </ul>
 *
 * <p>The baseline has no cache, so it builds each spec from nothing: once for the spec and once for
 * the spec plus the package, the latter compared with both "add a package" and "warm". Installing
 * the package into the existing pip environment is measured too, for information. Every environment
 * is checked by asking its interpreter for the installed versions. Packages come from the package
 * index; the user's own Tarn cache is never touched.
 */
public final class EnvBenchmark implements Benchmark {
  /** The spec's goals, seconds. */
  public static final double WARM_GOAL_SECONDS = 0.5;
  public static final double ADD_GOAL_SECONDS = 5;
  public static final int DEFAULT_RUNS = 3;
  /** The seed pipeline's environment, and a small pure-Python package without dependencies. */
  static final String DEFAULT_PACKAGES = "polars==1.33.0";
  static final String DEFAULT_ADD = "tabulate==0.9.0";
  /** Tiny wheels, so the test suite downloads little (pyarrow still comes with every Tarn environment). */
  static final String QUICK_PACKAGES = "six==1.17.0";
  static final String QUICK_ADD = "idna==3.10";
  private static final String DEFAULT_PYTHON = "3.11";

  @Override
  public String name() {
    return "env";
  }

  @Override
  public String description() {
    return "B5: assembling a Python environment with uv and Tarn's package cache (cold, one package added, warm)"
        + " vs a fresh python -m venv + pip install --no-cache-dir";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    String python = params.setting("python", DEFAULT_PYTHON);
    Map<String, String> pins = pins(params.setting("packages", params.quick() ? QUICK_PACKAGES : DEFAULT_PACKAGES));
    Map<String, String> added = pins(params.setting("add", params.quick() ? QUICK_ADD : DEFAULT_ADD));
    if (added.keySet().stream().anyMatch(pins::containsKey)) {
      throw new IllegalArgumentException("--set add must name a package the spec does not pin: " + added);
    }
    Map<String, String> pinsPlus = new TreeMap<>(pins);
    pinsPlus.putAll(added);
    EnvironmentSpec spec = EnvironmentSpec.of(python, pins);
    EnvironmentSpec specPlus = EnvironmentSpec.of(python, pinsPlus);
    int runs = params.runs(DEFAULT_RUNS);
    PrintStream log = params.log();

    Path work = Files.createTempDirectory("tarn-bench-env-");
    try {
      log.printf(Locale.ROOT, "spec: %s; added: %s; every Tarn environment also gets pyarrow %s%n", spec,
          String.join(", ", EnvironmentSpec.of(python, added).requirements()), Environments.DEFAULT_PYARROW);
      log.printf(Locale.ROOT, "%d round(s), each on a new empty package cache and new pip environments; median"
          + " reported%n", runs);
      List<EnvRound> rounds = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        log.printf(Locale.ROOT, "round %d/%d%n", i, runs);
        rounds.add(EnvRound.run(work.resolve("round-" + i), spec, specPlus, log));
      }
      EnvRound first = rounds.get(0);

      Map<String, Object> p = new LinkedHashMap<>();
      p.put("quick", params.quick());
      p.put("runs", runs);
      p.put("statistic", "median");
      p.put("python", first.interpreter().toString());
      p.put("spec", spec.toString());
      p.put("added", EnvironmentSpec.of(python, added).requirements());
      p.put("pyarrow_added_by_tarn", Environments.DEFAULT_PYARROW);
      p.put("uv", first.uv().toString());
      p.put("pip", first.pipVersion());
      for (Step step : Step.values()) {
        p.put(step.key + "_seconds", step.of(rounds));
      }
      p.put("pip_fresh_venv_seconds", rounds.stream().map(r -> r.pipSpec().venvSeconds()).toList());
      p.put("timing", "Tarn: Environments.assemble on a new cache folder, wall clock; pip: python -m venv, then the"
          + " new environment's pip install --no-cache-dir of the same pins (pyarrow included); every environment"
          + " checked by importlib.metadata afterwards, untimed");
      printTable(rounds, log);

      List<Result> results = new ArrayList<>();
      results.add(compare("env.cold", Step.PIP_SPEC, Step.TARN_COLD, Goal.none(), rounds, p));
      results.add(compare("env.add_package", Step.PIP_SPEC_PLUS, Step.TARN_ADD, Goal.below(ADD_GOAL_SECONDS, "s"),
          rounds, baseline("a fresh venv + pip install of the spec plus the package")));
      results.add(compare("env.warm", Step.PIP_SPEC_PLUS, Step.TARN_WARM, Goal.below(WARM_GOAL_SECONDS, "s"),
          rounds, baseline("a fresh venv + pip install of the same spec: without a cache pip has no warm case")));
      results.add(compare("env.add_package_vs_pip_add", Step.PIP_ADD, Step.TARN_ADD, Goal.none(), rounds,
          baseline("pip install --no-cache-dir of the one package into the existing pip environment")));
      return results;
    } finally {
      TempDirs.deleteQuietly(work);
    }
  }

  /** What a round times, as the printed table and the JSON name it. */
  private enum Step {
    TARN_COLD("tarn_cold", EnvRound::tarnCold),
    TARN_ADD("tarn_add_package", EnvRound::tarnAdd),
    TARN_WARM("tarn_warm", EnvRound::tarnWarm),
    PIP_SPEC("pip_fresh_spec", r -> r.pipSpec().seconds()),
    PIP_ADD("pip_add_to_existing", EnvRound::pipAdd),
    PIP_SPEC_PLUS("pip_fresh_spec_plus_package", r -> r.pipSpecPlus().seconds());

    final String key;
    final ToDoubleFunction<EnvRound> seconds;

    Step(String key, ToDoubleFunction<EnvRound> seconds) {
      this.key = key;
      this.seconds = seconds;
    }

    List<Double> of(List<EnvRound> rounds) {
      return rounds.stream().map(r -> seconds.applyAsDouble(r)).toList();
    }

    double median(List<EnvRound> rounds) {
      return Stats.median(of(rounds));
    }
  }

  private static Result compare(String name, Step baseline, Step tarn, Goal goal, List<EnvRound> rounds,
      Map<String, Object> parameters) {
    return Result.time(name, baseline.median(rounds), tarn.median(rounds), "s", goal, parameters);
  }

  private static void printTable(List<EnvRound> rounds, PrintStream log) {
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"median", "Tarn (uv + cache)", "fresh venv + pip", "pip into existing venv"});
    table.add(new String[] {"cold: spec, empty cache", seconds(Step.TARN_COLD.median(rounds)),
        seconds(Step.PIP_SPEC.median(rounds)), "-"});
    table.add(new String[] {"add one package", seconds(Step.TARN_ADD.median(rounds)),
        seconds(Step.PIP_SPEC_PLUS.median(rounds)), seconds(Step.PIP_ADD.median(rounds))});
    table.add(new String[] {"warm: same spec again", seconds(Step.TARN_WARM.median(rounds)),
        seconds(Step.PIP_SPEC_PLUS.median(rounds)), "-"});
    log.println();
    Report.printColumns(table, log);
  }

  private static String seconds(double s) {
    return s < 0.1 ? String.format(Locale.ROOT, "%.1f ms", s * 1000) : String.format(Locale.ROOT, "%.2f s", s);
  }

  /** A result's parameters: what its baseline is; every timing is with env.cold. */
  private static Map<String, Object> baseline(String what) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("baseline", what);
    m.put("see", "env.cold for every timing");
    return m;
  }

  /** {@code polars==1.33.0,tabulate==0.9.0} as a map of exact pins. */
  static Map<String, String> pins(String text) {
    Map<String, String> pins = new TreeMap<>();
    for (String pin : text.split(",")) {
      String[] parts = pin.strip().split("==");
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException("not an exact pin (name==version): '" + pin.strip() + "'");
      }
      pins.put(EnvironmentSpec.normalize(parts[0].strip()), parts[1].strip());
    }
    return pins;
  }
}
