package dev.tarn.executor.pipeline;

import dev.tarn.executor.lakehouse.Sql;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.ModelInput;
import dev.tarn.executor.python.ModelResult;
import dev.tarn.executor.python.PythonModelRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * The tables a run's Python models return. Each used to become a DuckDB table at once, which a
 * Python model reading it then got back as DuckDB's Arrow export, written to a new file: two copies
 * of every row between two models.
 *
 * <p>Now an output whose columns DuckDB would hand back exactly as they are (plain numbers, booleans,
 * strings, bytes, dates and microsecond timestamps without a zone; unique names; no metadata) is kept
 * as the Arrow file its model wrote, and a Python model or expectation reading all of it maps that
 * file. Its DuckDB table is made only when something reads it in DuckDB: a SQL model, a
 * materialization, an input with columns or a filter ({@link #ensureTable}). Every batch is checked
 * before the file is kept ({@link PythonModelRunner#readOutput}), as it is before DuckDB reads one.
 * Outputs of other shapes become tables at once, as before. The files are removed when the run ends.
 */
final class ModelOutputs implements AutoCloseable {
  private final PythonModelRunner python;
  private final Map<String, Kept> kept = new ConcurrentHashMap<>();
  private final AtomicInteger files = new AtomicInteger();
  private Path folder;

  /** A kept output: its file, its column names, and whether its DuckDB table exists yet. */
  private static final class Kept {
    final Path file;
    final List<String> names;
    boolean tabled;

    Kept(Path file, List<String> names) {
      this.file = file;
      this.names = names;
    }
  }

  ModelOutputs(PythonModelRunner python) {
    this.python = python;
  }

  /**
   * Keeps {@code result}'s output as its file when DuckDB would read it back alike, checking every
   * batch; false when it must become a table now instead ({@link #importNow}).
   *
   * @throws IOException when a batch is malformed
   */
  boolean keep(String stepId, ModelResult result) throws IOException {
    ArrowReader output = result.output();
    Schema schema = output.getVectorSchemaRoot().getSchema();
    if (!readAlikeByDuckDb(schema)) {
      return false;
    }
    while (output.loadNextBatch()) {
      // each batch is checked as it loads; nothing else reads it here
    }
    Path link = folder().resolve("output-" + files.incrementAndGet() + ".arrow");
    Files.createLink(link, result.outputFile());
    kept.put(stepId, new Kept(link, schema.getFields().stream().map(Field::getName).toList()));
    return true;
  }

  /** A Python step's kept output as an input handed over whole; null when it has none. */
  ModelInput whole(String stepId) {
    Kept output = kept.get(stepId);
    return output == null ? null
        : new ModelInput.Parts(List.of(new ModelInput.SharedFile(output.file, output.names)), output.names, null);
  }

  /**
   * Makes a kept output's DuckDB table, for a consumer that reads it in DuckDB; nothing when the step
   * kept no output or its table exists.
   */
  synchronized void ensureTable(String stepId, RunDatabase db) {
    Kept output = kept.get(stepId);
    if (output == null || output.tabled) {
      return;
    }
    try (Connection c = db.connect(); ArrowReader reader = PythonModelRunner.readOutput(output.file, python.allocator())) {
      importNow(c, reader, db.relation(stepId));
      output.tabled = true;
    } catch (IOException | SQLException e) {
      throw new StepFailedException("the output of step " + stepId + " could not be read into the run: "
          + EngineMessages.of(e.getMessage()), e);
    }
  }

  /** DuckDB scans {@code output} into the table {@code relation}. */
  void importNow(Connection c, ArrowReader output, String relation) throws SQLException {
    String handle = "tarn_output_" + UUID.randomUUID().toString().replace("-", "");
    // the output's buffers belong to the model runner's allocator: export through the same root
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(python.allocator())) {
      Data.exportArrayStream(python.allocator(), output, stream);
      c.unwrap(DuckDBConnection.class).registerArrowStream(handle, stream);
      RunDatabase.execute(c, "CREATE TABLE " + relation + " AS SELECT * FROM " + Sql.ident(handle));
    }
  }

  /**
   * Whether DuckDB would give back {@code schema} as it is: every column of a type it stores and
   * exports as the same Arrow type, nullable, without metadata, under a name no other column shares
   * in any case (DuckDB's names ignore case), and no metadata on the table.
   */
  static boolean readAlikeByDuckDb(Schema schema) {
    if (schema.getFields().isEmpty() || !schema.getCustomMetadata().isEmpty()) {
      return false;
    }
    Set<String> names = new HashSet<>();
    for (Field field : schema.getFields()) {
      boolean plain = field.isNullable() && field.getDictionary() == null && field.getChildren().isEmpty()
          && (field.getMetadata() == null || field.getMetadata().isEmpty());
      if (!plain || field.getName().isEmpty() || !names.add(field.getName().toLowerCase(Locale.ROOT))
          || !sameInDuckDb(field.getType())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameInDuckDb(ArrowType type) {
    if (type instanceof ArrowType.Int || type instanceof ArrowType.Bool || type instanceof ArrowType.Utf8
        || type instanceof ArrowType.Binary) {
      return true;
    }
    if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() != FloatingPointPrecision.HALF;
    }
    if (type instanceof ArrowType.Date d) {
      return d.getUnit() == DateUnit.DAY;
    }
    if (type instanceof ArrowType.Timestamp t) {
      return t.getUnit() == TimeUnit.MICROSECOND && t.getTimezone() == null;
    }
    return false;
  }

  private synchronized Path folder() throws IOException {
    if (folder == null) {
      folder = Files.createTempDirectory(python.scratchRoot(), "tarn-outputs-");
    }
    return folder;
  }

  /** Removes the kept files: the run has ended. */
  @Override
  public synchronized void close() {
    kept.clear();
    if (folder != null) {
      try {
        Environments.deleteTree(folder);
      } catch (IOException ignored) {
        // the folder is in the scratch root, cleared at reboot
      }
    }
  }
}
