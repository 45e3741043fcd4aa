package dev.tarn.executor.python;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * What a model produced. The output is read from the shared-memory file the model wrote; closing the
 * result releases it and removes the run's temporary files.
 */
public final class ModelResult implements AutoCloseable {
  private final String model;
  private final long rows;
  private final ArrowReader output;
  private final Path outputFile;
  private final String stdout;
  private final String stderr;
  private final Duration duration;
  private final Timings timings;
  private final Path scratch;

  /**
   * Where the model's process spent its time, as it reported it.
   *
   * @param readInputs opening its inputs (memory-mapping the Arrow files)
   * @param model the model function itself
   * @param writeOutput converting what it returned to Arrow and writing the output file (zero for an expectation)
   */
  public record Timings(Duration readInputs, Duration model, Duration writeOutput) {}

  ModelResult(String model, long rows, ArrowReader output, Path outputFile, String stdout, String stderr,
      Duration duration, Timings timings, Path scratch) {
    this.model = model;
    this.rows = rows;
    this.output = output;
    this.outputFile = outputFile;
    this.stdout = stdout;
    this.stderr = stderr;
    this.duration = duration;
    this.timings = timings;
    this.scratch = scratch;
  }

  public String model() {
    return model;
  }

  /** Rows of the output table (0 for an expectation). */
  public long rows() {
    return rows;
  }

  /**
   * The output table, batch by batch ({@code loadNextBatch()} / {@code getVectorSchemaRoot()}); null
   * for an expectation. Valid until this result is closed.
   */
  public ArrowReader output() {
    return output;
  }

  /**
   * The Arrow IPC file in shared memory that {@link #output} reads, as the model's process wrote it;
   * null for an expectation. Removed when this result is closed: link it to keep it.
   */
  public Path outputFile() {
    return outputFile;
  }

  public String stdout() {
    return stdout;
  }

  public String stderr() {
    return stderr;
  }

  /** Wall time of the model's process, interpreter start included. */
  public Duration duration() {
    return duration;
  }

  /** The process's own timings; empty when its runtime did not report them (an older runtime). */
  public Optional<Timings> timings() {
    return Optional.ofNullable(timings);
  }

  @Override
  public void close() {
    try {
      if (output != null) {
        output.close();
      }
      Environments.deleteTree(scratch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
