package dev.tarn.bench.cli;

import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Result;
import dev.tarn.bench.ServerProcess;
import dev.tarn.bench.Stats;
import dev.tarn.bench.TempDirs;
import dev.tarn.bench.WrongAnswerException;
import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * B9 command line start: one statement through {@code ./tarn sql -e}, as a CI script calls it (a new
 * process each time, launcher included), against a Python ADBC one-shot doing the same (a new
 * interpreter that imports the Flight SQL driver, connects, runs the statement and prints the
 * rows). The launcher runs the Go client when it is built; the JVM client ({@code TARN_CLIENT=jvm}) is
 * measured beside it, for the record. All talk to the same Tarn server process; each call is timed from
 * process start to exit.
 */
public final class CliBenchmark implements Benchmark {
  public static final int DEFAULT_RUNS = 10;
  /** The performance issue's goal: a one-statement call no slower than the Python one-shot. */
  public static final double GOAL = 1.0;
  static final String QUERY = "SELECT 1 AS x";
  static final String ADBC_VERSION = "1.13.0";
  private static final String DEFAULT_PYTHON = "3.11";
  private static final long CALL_TIMEOUT_SECONDS = 120;

  private static final String ONE_SHOT = String.join("\n",
      "import sys",
      "import adbc_driver_flightsql.dbapi as flight_sql",
      "with flight_sql.connect(sys.argv[1]) as connection, connection.cursor() as cursor:",
      "    cursor.execute(sys.argv[2])",
      "    print(cursor.fetchall())",
      "");

  @Override
  public String name() {
    return "cli";
  }

  @Override
  public String description() {
    return "B9: ./tarn sql -e \"SELECT 1\" as a new process vs a Python ADBC one-shot doing the same";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    int runs = params.runs(DEFAULT_RUNS);
    PrintStream log = params.log();
    Path jar = ServerProcess.jar(params.setting("jar", null));
    Path launcher = jar.getParent().getParent().getParent().resolve("tarn");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("no tarn launcher at " + launcher);
    }
    PythonEnvironment python = Environments.locate(Environments.defaultCacheDir()).assemble(EnvironmentSpec.of(
        params.setting("python", DEFAULT_PYTHON),
        Map.of("adbc-driver-flightsql", ADBC_VERSION, "adbc-driver-manager", ADBC_VERSION)));
    Path work = Files.createTempDirectory("tarn-bench-cli-");
    try (ServerProcess server = ServerProcess.start(jar, work.resolve("warehouse"))) {
      Path script = Files.writeString(work.resolve("one_shot.py"), ONE_SHOT);
      String url = "grpc://" + server.host() + ":" + server.port();
      List<String> tarnCall = List.of(launcher.toString(), "sql", "--url", url, "--format", "csv", "-e", QUERY);
      List<String> pythonCall = python.command(script.toString(), url, QUERY);
      // the launcher runs the Go client when it is built (Go on the machine), the JVM client otherwise
      boolean goClient = Files.isExecutable(launcher.resolveSibling("cli/target/tarn-client"));
      Map<String, String> jvmOnly = Map.of("TARN_CLIENT", "jvm");
      log.printf(Locale.ROOT, "tarn side:   %s (the %s client)%njvm side:    TARN_CLIENT=jvm %s%npython side: %s (ADBC %s)%n"
          + "1 untimed call per side (the first JVM call after a build writes its class-data archive), then %d timed"
          + " call(s) per side, taking turns%n", String.join(" ", tarnCall), goClient ? "Go" : "JVM",
          String.join(" ", tarnCall), String.join(" ", pythonCall), ADBC_VERSION, runs);
      call(tarnCall, Map.of(), "x\n1\n", work);
      call(tarnCall, jvmOnly, "x\n1\n", work);
      call(pythonCall, Map.of(), "[(1,)]\n", work);
      List<Double> tarnSeconds = new ArrayList<>();
      List<Double> jvmSeconds = new ArrayList<>();
      List<Double> pythonSeconds = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        tarnSeconds.add(call(tarnCall, Map.of(), "x\n1\n", work));
        jvmSeconds.add(call(tarnCall, jvmOnly, "x\n1\n", work));
        pythonSeconds.add(call(pythonCall, Map.of(), "[(1,)]\n", work));
      }
      double tarn = Stats.median(tarnSeconds);
      double jvm = Stats.median(jvmSeconds);
      double baseline = Stats.median(pythonSeconds);
      log.printf(Locale.ROOT, "%n  side                         median%n  Python ADBC one-shot      %8.3f s%n"
          + "  ./tarn sql -e (%-3s)       %8.3f s%n  TARN_CLIENT=jvm           %8.3f s%n", baseline, goClient ? "Go" : "JVM",
          tarn, jvm);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("runs", runs);
      p.put("query", QUERY);
      p.put("client", goClient ? "go" : "jvm");
      p.put("tarn_command", String.join(" ", tarnCall));
      p.put("baseline_command", String.join(" ", pythonCall));
      p.put("baseline_script", ONE_SHOT);
      p.put("tarn_seconds", tarnSeconds);
      p.put("baseline_seconds", pythonSeconds);
      p.put("timing", "from starting the process to its exit, output checked");
      Map<String, Object> jvmParameters = new LinkedHashMap<>(p);
      jvmParameters.put("client", "jvm");
      jvmParameters.put("tarn_command", "TARN_CLIENT=jvm " + String.join(" ", tarnCall));
      jvmParameters.put("tarn_seconds", jvmSeconds);
      return List.of(
          Result.time("cli.sql_one_statement_vs_python_adbc", baseline, tarn, "s", Goal.atMost(GOAL), p),
          Result.time("cli.sql_jvm_client_vs_python_adbc", baseline, jvm, "s", Goal.none(), jvmParameters));
    } finally {
      TempDirs.deleteQuietly(work);
    }
  }

  /** Runs one call, checks that it printed {@code expected}, and returns its seconds. */
  private static double call(List<String> command, Map<String, String> environment, String expected, Path work)
      throws IOException, InterruptedException {
    Path out = work.resolve("out.txt");
    Path err = work.resolve("err.txt");
    long start = System.nanoTime();
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish within " + CALL_TIMEOUT_SECONDS + " s");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    if (process.exitValue() != 0 || !printed.equals(expected)) {
      throw new WrongAnswerException(String.join(" ", command) + " exited " + process.exitValue() + " printing "
          + printed.strip() + " (expected " + expected.strip() + "); stderr: "
          + Files.readString(err, StandardCharsets.UTF_8).strip());
    }
    return seconds;
  }
}
