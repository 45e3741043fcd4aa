package dev.tarn.executor.pipeline;

import dev.tarn.executor.lakehouse.Sql;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.ModelInput;
import dev.tarn.executor.python.ModelResult;
import dev.tarn.executor.python.PythonModelRunner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
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
 * <p>Now an output that a Python model or expectation of the run reads whole is kept as the Arrow
 * file its model wrote, and those readers map that file, when DuckDB would hand it back exactly as it
 * is: plain numbers, booleans, strings (valid UTF-8), bytes, dates and microsecond timestamps without
 * a zone; names unique in any case; no metadata; not a great many small batches. Its DuckDB table is
 * made only when something reads it in DuckDB: a SQL model, a materialization, an input with columns
 * or a filter ({@link #ensureTable}). Every batch is checked before the file is kept ({@link
 * PythonModelRunner#readOutput}), as it is before DuckDB reads one. Other outputs become tables at
 * once, as before; an output nothing in the run reads (a leaf of a dry run) is checked the same way
 * and needs no table. The kept files are read-only links in a folder of the run, removed when it ends.
 */
final class ModelOutputs implements AutoCloseable {
  /** Above this many batches, an output of small ones goes through DuckDB (64k-row batches). */
  private static final long MANY_BATCHES = 64;
  private static final long SMALL_BATCH_ROWS = 1024;

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

  /** Who reads a model's output in its run. */
  enum Readers {
    /** Nothing: the output is checked and counted, and needs no table. */
    NONE,
    /** A Python model or expectation reading all of it, and perhaps others. */
    WHOLE_IN_PYTHON,
    /** Only steps reading it in DuckDB. */
    DUCKDB_ONLY
  }

  /**
   * Takes a model's output. When DuckDB would hand it back alike and a Python model reads it whole,
   * it is kept as its file; when nothing reads it, it is only checked; otherwise its table is made in
   * the run database now.
   *
   * @throws IOException when a batch is malformed
   * @throws SQLException when DuckDB cannot read the output into a table
   */
  void take(String stepId, ModelResult result, Readers readers, Connection c, RunDatabase db)
      throws IOException, SQLException {
    ArrowReader output = result.output();
    Schema schema = output.getVectorSchemaRoot().getSchema();
    if (readers == Readers.DUCKDB_ONLY || !readAlikeByDuckDb(schema)) {
      importNow(c, output, db.relation(stepId));
      return;
    }
    if (!batchesReadAlike(output)) {
      // read through to decide: DuckDB reads the file again, and decides for itself
      importFile(c, result.outputFile(), db.relation(stepId));
      return;
    }
    if (readers == Readers.NONE) {
      return; // DuckDB would take it as it is, and nothing will ask it to
    }
    Path link = folder().resolve("output-" + files.incrementAndGet() + ".arrow");
    Files.createLink(link, result.outputFile());
    // the readers map it read-only; a model writing to it by mistake gets an error, not the others' data
    Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("r--r--r--"));
    kept.put(stepId, new Kept(link, schema.getFields().stream().map(Field::getName).toList()));
  }

  /**
   * Reads every batch of {@code output} (each is checked as it loads) and tells whether DuckDB would
   * take them as they are: every string valid UTF-8, which DuckDB checks on import and the Arrow
   * check leaves to it, and batches not so many and small that DuckDB's larger ones serve readers
   * better.
   */
  private static boolean batchesReadAlike(ArrowReader output) throws IOException {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer decoded = CharBuffer.allocate(64 * 1024);
    long batches = 0;
    long rows = 0;
    boolean alike = true;
    while (output.loadNextBatch()) {
      VectorSchemaRoot root = output.getVectorSchemaRoot();
      batches++;
      rows += root.getRowCount();
      for (FieldVector vector : root.getFieldVectors()) {
        if (alike && vector instanceof VarCharVector strings && !validUtf8(strings, utf8, decoded)) {
          alike = false;
        }
      }
    }
    return alike && (batches <= MANY_BATCHES || rows / batches >= SMALL_BATCH_ROWS);
  }

  /**
   * Whether every string of {@code strings} is valid UTF-8: their bytes together are, and none
   * starts inside a character (on a continuation byte). The JDK's decoder is as strict as DuckDB's
   * check or stricter (it refuses encoded surrogates and overlong forms); an output it refuses goes
   * through DuckDB, which decides.
   */
  private static boolean validUtf8(VarCharVector strings, CharsetDecoder utf8, CharBuffer decoded) {
    int count = strings.getValueCount();
    if (count == 0) {
      return true;
    }
    ArrowBuf offsets = strings.getOffsetBuffer();
    ArrowBuf data = strings.getDataBuffer();
    int start = offsets.getInt(0);
    int end = offsets.getInt((long) count * VarCharVector.OFFSET_WIDTH);
    if (ascii(data, start, end)) {
      return true; // no multi-byte character to cut or to decode: the common case, read a word at a time
    }
    for (int i = 1; i < count; i++) {
      int at = offsets.getInt((long) i * VarCharVector.OFFSET_WIDTH);
      if (at < end && (data.getByte(at) & 0xC0) == 0x80) {
        return false;
      }
    }
    ByteBuffer bytes = data.nioBuffer(start, end - start);
    utf8.reset();
    while (true) {
      decoded.clear();
      CoderResult result = utf8.decode(bytes, decoded, true);
      if (result.isError()) {
        return false;
      }
      if (result.isUnderflow()) {
        decoded.clear();
        return !utf8.flush(decoded).isError();
      }
    }
  }

  /** A Python step's kept output as an input handed over whole; null when it has none. */
  ModelInput whole(String stepId) {
    Kept output = kept.get(stepId);
    return output == null ? null
        : new ModelInput.Parts(List.of(new ModelInput.SharedFile(output.file, output.names)), output.names, null);
  }

  /**
   * Makes a kept output's DuckDB table, for a consumer that reads it in DuckDB; nothing when the step
   * kept no output or its table exists. Consumers of one output wait for each other, not for others.
   */
  void ensureTable(String stepId, RunDatabase db) {
    Kept output = kept.get(stepId);
    if (output == null) {
      return;
    }
    synchronized (output) {
      if (output.tabled) {
        return;
      }
      try (Connection c = db.connect()) {
        importFile(c, output.file, db.relation(stepId));
        output.tabled = true;
      } catch (IOException | SQLException e) {
        throw new StepFailedException("the output of step " + stepId + " could not be read into the run: "
            + EngineMessages.of(e.getMessage()), e);
      }
    }
  }

  /** DuckDB scans the output file {@code file}, each batch checked again, into the table {@code relation}. */
  private void importFile(Connection c, Path file, String relation) throws IOException, SQLException {
    try (ArrowReader reader = PythonModelRunner.readOutput(file, python.allocator())) {
      importNow(c, reader, relation);
    }
  }

  /** DuckDB scans {@code output} into the table {@code relation}. */
  private void importNow(Connection c, ArrowReader output, String relation) throws SQLException {
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
   * exports as the same Arrow type, nullable, without metadata, under a name without NUL that no other
   * column shares in any case (DuckDB's names ignore case), and no metadata on the table.
   */
  static boolean readAlikeByDuckDb(Schema schema) {
    if (schema.getFields().isEmpty() || !schema.getCustomMetadata().isEmpty()) {
      return false;
    }
    Set<String> names = new HashSet<>();
    for (Field field : schema.getFields()) {
      boolean plain = field.isNullable() && field.getDictionary() == null && field.getChildren().isEmpty()
          && (field.getMetadata() == null || field.getMetadata().isEmpty());
      // the C data interface hands DuckDB a name up to its first NUL
      if (!plain || field.getName().isEmpty() || field.getName().indexOf('\0') >= 0
          || !names.add(field.getName().toLowerCase(Locale.ROOT))
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

  /** Whether the bytes from {@code start} to {@code end} are all ASCII (below 0x80). */
  private static boolean ascii(ArrowBuf data, long start, long end) {
    long at = start;
    for (; at + Long.BYTES <= end; at += Long.BYTES) {
      if ((data.getLong(at) & 0x8080808080808080L) != 0) {
        return false;
      }
    }
    for (; at < end; at++) {
      if (data.getByte(at) < 0) {
        return false;
      }
    }
    return true;
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
