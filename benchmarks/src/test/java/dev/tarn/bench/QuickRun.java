package dev.tarn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One benchmark's quick version run through the command line, as {@code ./tarn bench NAME --quick}
 * does: it must exit 0 (every answer right) and write exactly one result file for the benchmark.
 *
 * @param printed what the run printed
 * @param json its result file
 * @param doc the result file, parsed
 */
public record QuickRun(String printed, Path json, Map<String, Object> doc) {

  public static QuickRun of(String benchmark, Path out) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream stdout = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = BenchMain.execute(stdout, benchmark, "--quick", "--out", out.toString());
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    Path file;
    try (Stream<Path> files = Files.list(out)) {
      // the run also writes its chart (.svg) next to the JSON
      List<Path> json = files.filter(f -> f.toString().endsWith("-" + benchmark + "-quick.json")).toList();
      assertEquals(1, json.size(), json.toString());
      file = json.get(0);
    }
    return new QuickRun(text, file, Report.readJson(file));
  }

  public List<?> results() {
    return (List<?>) doc.get("results");
  }

  public List<Object> resultNames() {
    return results().stream().<Object>map(r -> ((Map<?, ?>) r).get("name")).toList();
  }
}
