package dev.tarn.bench;

import dev.tarn.bench.report.SvgChart;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./tarn bench stream [--quick] [--rows N] [--runs N] [--out DIR]}: runs benchmarks, prints a
 * table of Tarn against each baseline and writes one JSON file per benchmark.
 *
 * <p>Exit status: 0 when every benchmark ran and every answer was right (whether or not a goal was
 * met: timings are reported, never asserted), 1 when an answer was wrong or a benchmark failed,
 * 2 for a usage error.
 */
@Command(
    name = "tarn bench",
    sortOptions = false,
    description = {
        "Runs Tarn's benchmarks, each against its baseline in the same run; prints a table and writes JSON.",
        "Benchmarks: stream (B1), tpch (B2), branch (B3), movement (B4), env (B5), cache (B6), load (B7),"
            + " startup (B8).",
        "Use --list for descriptions, 'all' for every benchmark."},
    footer = {"", "Figures on a shared 2-core machine are only meaningful as ratios within one run."})
public final class BenchMain implements Callable<Integer> {

  @Parameters(arity = "0..*", paramLabel = "BENCHMARK", description = "Benchmarks to run, or 'all'.")
  private List<String> names = new ArrayList<>();

  @Option(names = "--quick", description = "Small version that checks answers; timings mean nothing.")
  private boolean quick;

  @Option(names = "--rows", paramLabel = "N", converter = RowCount.class,
      description = "Rows to move (stream: default 10M, quick 200k; movement: default 10M, quick 100k;"
          + " cache: default 4M, quick 72k; branch: unused). Accepts 10M, 200k, 1_000_000.")
  private Long rows;

  @Option(names = "--runs", paramLabel = "N",
      description = "Timed repeats after the warm-up; the median is reported (stream: default 5, quick 1;"
          + " branch: repetitions per catalog size, default 50, quick 10; movement: default 5, quick 1;"
          + " env: rounds on a new cache, default 3, quick 1; cache: sequences per side, default 3, quick 1).")
  private Integer runs;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "benchmarks/results",
      description = "Directory for the JSON results (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A benchmark-specific setting (stream: warmup_rounds=10; branch: sizes=10,1000 and warmup=200;"
          + " movement: dir=PARQUET_DIR,"
          + " python=3.11; env: packages=polars==1.33.0, add=tabulate==0.9.0, python=3.11; cache: budget_mb=2048).")
  private Map<String, String> settings = new LinkedHashMap<>();

  @Option(names = "--profile", description = "Record a JFR profile of each benchmark: its own JVM and every Tarn"
      + " server process it starts, in a folder beside the results.")
  private boolean profile;

  @Option(names = "--list", description = "List the benchmarks and exit.")
  private boolean list;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  /** Held so the level set on it is not lost when java.util.logging drops an unreferenced logger. */
  private static final Logger JDBC_DRIVER_LOG = Logger.getLogger("org.apache.arrow.driver.jdbc");

  private final PrintStream stdout;

  BenchMain(PrintStream stdout) {
    this.stdout = stdout;
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, args));
  }

  /** Runs the command line, printing to {@code stdout}; returns the exit status. */
  public static int execute(PrintStream stdout, String... args) {
    // The in-process server logs at INFO by default; a benchmark's output is its table.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // The Flight SQL JDBC driver logs its allocator choice through java.util.logging at INFO.
    JDBC_DRIVER_LOG.setLevel(Level.WARNING);
    return new CommandLine(new BenchMain(stdout)).execute(args);
  }

  @Override
  public Integer call() {
    if (list) {
      for (Benchmark b : Benchmarks.all()) {
        stdout.printf(Locale.ROOT, "%-10s %s%n", b.name(), b.description());
      }
      return 0;
    }
    if (names.isEmpty()) {
      System.err.println("tarn bench: name a benchmark to run (" + knownNames() + ", or all); see --help");
      return 2;
    }
    List<Benchmark> selected = new ArrayList<>();
    for (String name : names) {
      if (name.equals("all")) {
        selected.addAll(Benchmarks.all());
      } else {
        Benchmark b = Benchmarks.named(name).orElse(null);
        if (b == null) {
          System.err.println("tarn bench: no benchmark named '" + name + "'; known: " + knownNames());
          return 2;
        }
        selected.add(b);
      }
    }
    BenchParams params;
    try {
      params = new BenchParams(quick, rows == null ? OptionalLong.empty() : OptionalLong.of(rows),
          runs == null ? OptionalInt.empty() : OptionalInt.of(runs), out, settings, stdout);
    } catch (IllegalArgumentException e) {
      System.err.println("tarn bench: " + e.getMessage());
      return 2;
    }

    Map<String, Object> machine = Machine.describe();
    stdout.println("machine: " + Machine.summary(machine));
    double load = (Double) machine.get("load_average_1m");
    int cores = (Integer) machine.get("cores");
    if (load > cores) {
      stdout.printf(Locale.ROOT, "warning: load average %.1f is above the %d cores: other work is running and"
          + " every figure will be noisy%n", load, cores);
    }
    int status = 0;
    Instant runStarted = Instant.now();
    List<Result> charted = new ArrayList<>();
    for (Benchmark b : selected) {
      stdout.println();
      stdout.println("== " + b.name() + ": " + b.description() + (quick ? " [quick: checks answers only]" : ""));
      Instant started = Instant.now();
      try {
        List<Result> results;
        if (profile) {
          jdk.jfr.Recording recording = Profiler.start(out, Report.fileStamp(started), b.name());
          try {
            results = b.run(params);
          } finally {
            stdout.println("profiles (JFR) written to " + Profiler.stop(recording));
          }
        } else {
          results = b.run(params);
        }
        Instant finished = Instant.now();
        stdout.println();
        Report.printTable(results, stdout);
        Path file = Report.writeJson(out, b, params, started, finished, results, machine);
        stdout.println();
        stdout.println("answers checked; results written to " + file);
        charted.addAll(results);
      } catch (WrongAnswerException e) {
        System.err.println("tarn bench " + b.name() + ": WRONG ANSWER: " + e.getMessage());
        status = 1;
      } catch (Exception e) {
        System.err.println("tarn bench " + b.name() + ": failed: " + e);
        e.printStackTrace();
        status = 1;
      }
    }
    if (!charted.isEmpty()) {
      try {
        Path chart = SvgChart.write(out.resolve(Report.fileStamp(runStarted) + ".svg"),
            "tarn bench " + String.join(" ", names) + (quick ? " --quick" : "") + ", " + runStarted, charted);
        stdout.println("chart of all results: " + chart);
      } catch (java.io.IOException e) {
        System.err.println("tarn bench: could not write the chart: " + e);
        status = 1;
      }
    }
    return status;
  }

  private static String knownNames() {
    return String.join(", ", Benchmarks.all().stream().map(Benchmark::name).toList());
  }

  /** Row counts as people write them: 10M, 200k, 1_000_000, 2000000. */
  static final class RowCount implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim().replace("_", "").toLowerCase(Locale.ROOT);
      long multiplier = 1;
      if (v.endsWith("k")) {
        multiplier = 1_000;
      } else if (v.endsWith("m")) {
        multiplier = 1_000_000;
      } else if (v.endsWith("g") || v.endsWith("b")) {
        multiplier = 1_000_000_000;
      }
      if (multiplier != 1) {
        v = v.substring(0, v.length() - 1);
      }
      try {
        return Math.multiplyExact(Long.parseLong(v), multiplier);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new CommandLine.TypeConversionException("not a row count: " + value);
      }
    }
  }
}
