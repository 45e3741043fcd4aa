package dev.tarn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints results as a table and writes them as a JSON file runs can be compared by. */
public final class Report {
  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  /** The table: benchmark, baseline, tarn, ratio, goal, and whether the goal was met. */
  public static void printTable(List<Result> results, PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"benchmark", "baseline", "tarn", "ratio", "goal", "met"});
    for (Result r : results) {
      Boolean met = r.goalMet();
      rows.add(new String[] {
          r.name(),
          quantity(r.baseline(), r.unit()),
          quantity(r.tarn(), r.unit()),
          Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
          r.goal().label(),
          met == null ? "-" : met ? "yes" : "NO"});
    }
    printColumns(rows, out);
  }

  /** Left-aligned first column, right-aligned others, a rule under the header. */
  public static void printColumns(List<String[]> rows, PrintStream out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = rows.get(r)[i];
        String pad = " ".repeat(width[i] - cell.length());
        line.append(i == 0 ? cell + pad : "  " + pad + cell);
      }
      out.println(line.toString().stripTrailing());
      if (r == 0) {
        int total = 0;
        for (int w : width) {
          total += w + 2;
        }
        out.println("-".repeat(total - 2));
      }
    }
  }

  /** 12345678 rows/s as {@code 12.35 M rows/s}; NaN (no such figure) as {@code -}. */
  public static String quantity(double value, String unit) {
    if (Double.isNaN(value)) {
      return "-";
    }
    double abs = Math.abs(value);
    if (abs >= 1e9) {
      return String.format(Locale.ROOT, "%.2f G %s", value / 1e9, unit);
    } else if (abs >= 1e6) {
      return String.format(Locale.ROOT, "%.2f M %s", value / 1e6, unit);
    } else if (abs >= 1e3) {
      return String.format(Locale.ROOT, "%.2f k %s", value / 1e3, unit);
    }
    return String.format(Locale.ROOT, "%.3f %s", value, unit);
  }

  /** The UTC timestamp result files are named by, e.g. {@code 20261126T023922Z}. */
  public static String fileStamp(Instant instant) {
    return FILE_STAMP.format(instant);
  }

  /**
   * Writes {@code <outDir>/<UTC timestamp>-<benchmark>[-quick].json}.
   *
   * @return the file written
   */
  public static Path writeJson(Path outDir, Benchmark benchmark, BenchParams params, Instant started,
      Instant finished, List<Result> results, Map<String, Object> machine) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("benchmark", benchmark.name());
    doc.put("description", benchmark.description());
    doc.put("quick", params.quick());
    doc.put("started_utc", started.toString());
    doc.put("finished_utc", finished.toString());
    doc.put("machine", machine);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("unit", r.unit());
      m.put("baseline", orNull(r.baseline()));
      m.put("tarn", orNull(r.tarn()));
      m.put("ratio", orNull(r.ratio()));
      m.put("goal", r.goal().label());
      m.put("goal_met", r.goalMet());
      m.put("parameters", r.parameters());
      list.add(m);
    }
    doc.put("results", list);
    Files.createDirectories(outDir);
    Path file = outDir.resolve(FILE_STAMP.format(started) + "-" + benchmark.name()
        + (params.quick() ? "-quick" : "") + ".json");
    JSON.writeValue(file.toFile(), doc);
    return file;
  }

  /** JSON has no NaN: a figure that does not exist is null. */
  private static Double orNull(double value) {
    return Double.isNaN(value) ? null : value;
  }

  /** Reads a result file back, e.g. in tests or to compare runs. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readJson(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Map.class);
  }
}
