package dev.tarn.bench.movement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tarn.executor.python.PythonEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the same hand-off through Parquet files on local disk. DuckDB writes the table with
 * {@code COPY ... TO 'in.parquet'}, the model process ({@code parquet_run.py}, in the same
 * environment, started the same way as Tarn's runner starts {@code tarn.run}) reads it with pyarrow,
 * runs the same model and writes {@code out.parquet}, and DuckDB reads that back with
 * {@code read_parquet}. Every format setting is the writer's default (Snappy on both sides).
 */
final class ParquetHandOff implements HandOff {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MINUTES = 10;

  private final Connection duckdb;
  private final Path dir;
  private final Path script;
  private final Path module;
  private final PythonEnvironment environment;

  /**
   * @param dir where the Parquet files go: a folder on local disk
   * @param script {@code parquet_run.py}
   */
  ParquetHandOff(Connection duckdb, Path dir, Path script, Path module, PythonEnvironment environment) {
    this.duckdb = duckdb;
    this.dir = dir;
    this.script = script;
    this.module = module;
    this.environment = environment;
  }

  @Override
  public String key() {
    return "parquet";
  }

  @Override
  public String label() {
    return "baseline: Parquet files in " + dir;
  }

  @Override
  public Trip handOff(String source, String target) throws Exception {
    Path in = dir.resolve("in.parquet");
    Path out = dir.resolve("out.parquet");
    Path result = dir.resolve("result.json");
    for (Path p : List.of(in, out, result)) {
      Files.deleteIfExists(p);
    }
    long started = System.nanoTime();
    try (Statement s = duckdb.createStatement()) {
      s.execute("COPY (SELECT * FROM " + source + ") TO '" + in + "' (FORMAT parquet)");
    }
    long bytes = Files.size(in);
    long processStarted = System.nanoTime();
    runModel(in, out, result);
    long backStarted = System.nanoTime();
    try (Statement s = duckdb.createStatement()) {
      s.execute("CREATE OR REPLACE TABLE " + target + " AS SELECT * FROM read_parquet('" + out + "')");
    }
    long finished = System.nanoTime();
    JsonNode reported = JSON.readTree(result.toFile());
    return new Trip((finished - started) / 1e9, (processStarted - started) / 1e9,
        (backStarted - processStarted) / 1e9, reported.path("inputs_seconds").asDouble(),
        reported.path("seconds").asDouble(), reported.path("output_seconds").asDouble(),
        (finished - backStarted) / 1e9, bytes, reported.path("rows").asLong(-1));
  }

  private void runModel(Path in, Path out, Path result) throws IOException, InterruptedException {
    Path stderr = dir.resolve("stderr.log");
    ProcessBuilder builder = new ProcessBuilder(environment.command(script.toString(), module.toString(),
            MovementBenchmark.MODEL, in.toString(), out.toString(), result.toString()))
        .directory(module.getParent().toFile())
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .redirectError(stderr.toFile());
    builder.environment().remove("VIRTUAL_ENV");
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("the Parquet model process did not finish in " + TIMEOUT_MINUTES + " minutes");
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(result)) {
      throw new IllegalStateException("the Parquet model process exited with status " + process.exitValue()
          + ": " + Files.readString(stderr, StandardCharsets.UTF_8).strip());
    }
  }

  /** Removes the files of the last hand-off; the folder itself belongs to the benchmark. */
  @Override
  public void close() {
    try {
      for (String name : List.of("in.parquet", "out.parquet", "result.json", "stdout.log", "stderr.log")) {
        Files.deleteIfExists(dir.resolve(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the Parquet files in " + dir, e);
    }
  }
}
