package dev.tarn.bench.movement;

import dev.tarn.executor.python.ModelCall;
import dev.tarn.executor.python.ModelInput;
import dev.tarn.executor.python.ModelResult;
import dev.tarn.executor.python.PythonEnvironment;
import dev.tarn.executor.python.PythonModelRunner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * Tarn's hand-off, through the executor's own {@link PythonModelRunner}: DuckDB exports the table
 * as Arrow through the C data interface, the runner writes it as an Arrow IPC file in shared memory
 * that the model process memory-maps, the process writes its output the same way, and the output
 * file is read through a memory map and handed to DuckDB as an Arrow stream.
 */
final class ArrowHandOff implements HandOff {
  private final Connection duckdb;
  private final BufferAllocator allocator;
  private final PythonModelRunner runner;
  private final Path module;
  private final PythonEnvironment environment;
  private final int batchRows;
  private int streams;

  ArrowHandOff(Connection duckdb, BufferAllocator parent, Path module, PythonEnvironment environment, int batchRows) {
    this.duckdb = duckdb;
    this.allocator = parent.newChildAllocator("movement-arrow", 0, Long.MAX_VALUE);
    this.runner = new PythonModelRunner(allocator);
    this.module = module;
    this.environment = environment;
    this.batchRows = batchRows;
  }

  @Override
  public String key() {
    return "arrow";
  }

  @Override
  public String label() {
    return "Tarn: Arrow C export, Arrow IPC in " + PythonModelRunner.defaultScratchRoot() + ", memory-mapped";
  }

  @Override
  public Trip handOff(String source, String target) throws Exception {
    long started = System.nanoTime();
    TimedInput input;
    ModelResult result;
    try (Statement s = duckdb.createStatement();
        DuckDBResultSet rs = (DuckDBResultSet) s.executeQuery("SELECT * FROM " + source);
        ArrowReader reader = (ArrowReader) rs.arrowExportStream(allocator, batchRows)) {
      input = new TimedInput(ModelInput.of(reader));
      // The runner writes every input before it starts the process, so the export is timed apart.
      result = runner.run(ModelCall.of(module, MovementBenchmark.MODEL, environment,
          Map.of(MovementBenchmark.INPUT, input)));
    }
    try (result) {
      long backStarted = System.nanoTime();
      String stream = "movement_back_" + ++streams;
      try (ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
        Data.exportArrayStream(allocator, result.output(), exported);
        duckdb.unwrap(DuckDBConnection.class).registerArrowStream(stream, exported);
        try (Statement s = duckdb.createStatement()) {
          s.execute("CREATE OR REPLACE TABLE " + target + " AS SELECT * FROM " + stream);
        }
      }
      long finished = System.nanoTime();
      ModelResult.Timings timings = result.timings().orElseThrow(() -> new IllegalStateException(
          "the model process reported no timings: is python/tarn-runtime older than this benchmark?"));
      return new Trip((finished - started) / 1e9, input.seconds(), result.duration().toNanos() / 1e9,
          timings.readInputs().toNanos() / 1e9, timings.model().toNanos() / 1e9,
          timings.writeOutput().toNanos() / 1e9, (finished - backStarted) / 1e9, input.bytes(), result.rows());
    }
  }

  @Override
  public void close() {
    allocator.close();
  }

  /**
   * An input that measures its own writing: how long it took (DuckDB's export and the Arrow IPC write
   * together) and how many bytes the file has.
   */
  private static final class TimedInput implements ModelInput {
    private final ModelInput input;
    private long nanos;
    private long bytes;

    TimedInput(ModelInput input) {
      this.input = input;
    }

    @Override
    public void writeArrowFile(WritableByteChannel channel) throws IOException {
      long started = System.nanoTime();
      input.writeArrowFile(new WritableByteChannel() {
        @Override
        public int write(ByteBuffer source) throws IOException {
          int written = channel.write(source);
          bytes += written;
          return written;
        }

        @Override
        public boolean isOpen() {
          return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
          channel.close();
        }
      });
      nanos += System.nanoTime() - started;
    }

    double seconds() {
      return nanos / 1e9;
    }

    long bytes() {
      return bytes;
    }
  }
}
