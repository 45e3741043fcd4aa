package dev.tarn.bench.startup;

import dev.tarn.bench.ServerProcess;
import dev.tarn.bench.BenchParams;
import dev.tarn.bench.Benchmark;
import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import dev.tarn.bench.Stats;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * B8 startup: from starting {@code java -jar tarn-flight-server.jar serve} on an empty warehouse to
 * the first answered {@code SELECT 1} over the Flight SQL JDBC driver, N times, each a new process on
 * a new warehouse; and the server's resident memory right after. The goal is under 3 s.
 */
public final class StartupBenchmark implements Benchmark {
  public static final int DEFAULT_LAUNCHES = 5;
  public static final int QUICK_LAUNCHES = 1;
  /** The spec's goal, seconds from process start to the first answer. */
  public static final double GOAL_SECONDS = 3;

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String description() {
    return "B8: process start to first answered SELECT 1 (java -jar serve, embedded default, empty warehouse),"
        + " and RSS after";
  }

  @Override
  public List<Result> run(BenchParams params) throws Exception {
    int launches = params.runs(DEFAULT_LAUNCHES);
    // The bench's own JDBC client loads its classes on its first connection; one untimed launch
    // first keeps that out of the figures (full runs only: quick timings mean nothing).
    int warmups = params.count("warmup", params.quick() ? 0 : 1);
    Path jar = ServerProcess.jar(params.setting("jar", null));
    PrintStream log = params.log();
    log.printf(Locale.ROOT, "server: %s%n%d warm-up + %d timed launches, each a new JVM on a new empty warehouse,"
        + " polled every %d ms until a JDBC SELECT 1 answers%n", jar, warmups, launches, ServerLaunch.POLL_MILLIS);

    List<ServerLaunch.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < warmups + launches; i++) {
      ServerLaunch.Outcome o = ServerLaunch.measure(jar);
      boolean timed = i >= warmups;
      log.printf(Locale.ROOT, "  %s %d: port open %.2f s, first answer %.2f s, RSS %.0f MiB%n",
          timed ? "launch" : "warm-up", timed ? i - warmups + 1 : i + 1, o.portSeconds(), o.answerSeconds(),
          o.rssBytes() / 1048576.0);
      if (timed) {
        outcomes.add(o);
      }
    }

    List<Double> answer = outcomes.stream().map(ServerLaunch.Outcome::answerSeconds).toList();
    List<Double> port = outcomes.stream().map(ServerLaunch.Outcome::portSeconds).toList();
    List<Double> rssMiB = outcomes.stream().map(o -> o.rssBytes() / 1048576.0).toList();
    List<Double> hwmMiB = outcomes.stream().map(o -> o.peakRssBytes() / 1048576.0).toList();

    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"figure", "median", "min", "max"});
    table.add(row("first answer", answer, "%.2f s"));
    table.add(row("port open", port, "%.2f s"));
    table.add(row("RSS after first answer", rssMiB, "%.0f MiB"));
    table.add(row("peak RSS (VmHWM)", hwmMiB, "%.0f MiB"));
    log.println();
    Report.printColumns(table, log);

    Map<String, Object> p = new LinkedHashMap<>();
    p.put("launches", launches);
    p.put("warmups", warmups);
    p.put("quick", params.quick());
    p.put("jar", jar.toString());
    p.put("command", ServerLaunch.command(jar, 0, Path.of("<warehouse>")));
    p.put("timing", "from ProcessBuilder.start to a Flight SQL JDBC SELECT 1 answered; the client polls the port"
        + " every " + ServerLaunch.POLL_MILLIS + " ms, then connects; a new empty temp warehouse per launch");
    p.put("answer_seconds", answer);
    p.put("answer_min_seconds", min(answer));
    p.put("answer_max_seconds", max(answer));
    p.put("port_open_seconds", port);
    p.put("rss_mib", rssMiB);
    p.put("peak_rss_mib", hwmMiB);

    List<Result> results = new ArrayList<>();
    results.add(Result.absolute("startup.first_answer.median", Stats.median(answer), "s",
        Goal.below(GOAL_SECONDS, "s"), p));
    results.add(Result.absolute("startup.rss_after_start.median", Stats.median(rssMiB), "MiB", Goal.none(),
        Map.of("rss_mib", rssMiB, "peak_rss_mib", hwmMiB, "source", "/proc/<pid>/status VmRSS, VmHWM")));
    return results;
  }

  private static String[] row(String name, List<Double> values, String format) {
    return new String[] {name, String.format(Locale.ROOT, format, Stats.median(values)),
        String.format(Locale.ROOT, format, min(values)), String.format(Locale.ROOT, format, max(values))};
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
