package dev.tarn.executor.pipeline;

import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.lakehouse.LakehouseViews;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.iceberg.Schema;
import org.duckdb.DuckDBResultSet;

/**
 * Reads several data files with one DuckDB query and writes each file's rows to an Arrow IPC file
 * of its own: the scan cache's fragments of the files a scan missed.
 *
 * <p>A query per file paid DuckDB's fixed cost (binding the read, starting the stream) for every
 * file, which is all a small file costs (benchmarks/README.md, B6). One query reads them in
 * parallel. Each row carries DuckDB's {@code file_index}, its file's position in the list, and each
 * run of rows of one file is moved into that file's writer without copying its values. DuckDB hands
 * a scan's rows over in file order (the engine keeps {@code preserve_insertion_order}), so each file
 * is finished and closed when the next one starts; rows of a file already finished fail the read
 * ({@link OutOfFileOrder}) rather than be misplaced.
 */
final class FragmentFill {
  /** Files read by one query at most. */
  static final int MAX_FILES_PER_QUERY = 128;
  /** Rows per Arrow batch DuckDB exports, as an input is exported to a model. */
  private static final long BATCH_ROWS = 64 * 1024;
  /** The column that numbers each row's file; fragment columns are named {@code f_<field id>}. */
  private static final String FILE_INDEX = "tarn_file_index";

  /** DuckDB handed over rows of a file after those of a later one. */
  static final class OutOfFileOrder extends IllegalStateException {
    OutOfFileOrder(int file) {
      super("DuckDB handed over more rows of file " + file + " after those of a later file");
    }
  }

  private FragmentFill() {}

  /**
   * Writes every row of {@code localPaths[i]}, with the fields of {@code columns}, to {@code
   * targets[i]} (new files) and returns each file's row count. On any failure no target is left.
   *
   * @throws SQLException when DuckDB cannot read a file, at the start or in the middle of the stream
   * @throws IOException when a fragment cannot be written
   */
  static long[] write(DuckDbEngine engine, BufferAllocator allocator, Schema columns, List<String> localPaths,
      List<Path> targets) throws SQLException, IOException {
    if (localPaths.isEmpty() || localPaths.size() != targets.size() || localPaths.size() > MAX_FILES_PER_QUERY) {
      throw new IllegalArgumentException("between 1 and " + MAX_FILES_PER_QUERY + " files, each with a target");
    }
    try {
      return readInto(engine, allocator, LakehouseViews.selectSqlNumberingFiles(columns, localPaths, FILE_INDEX),
          targets);
    } catch (SQLException | IOException | RuntimeException e) {
      for (Path target : targets) {
        try {
          Files.deleteIfExists(target);
        } catch (IOException notDeleted) {
          e.addSuppressed(notDeleted);
        }
      }
      throw e;
    }
  }

  private static long[] readInto(DuckDbEngine engine, BufferAllocator allocator, String sql, List<Path> targets)
      throws SQLException, IOException {
    try (Connection c = engine.openInternalConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql);
        ArrowReader reader = (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS);
        Writers writers = new Writers(reader, targets, allocator)) {
      VectorSchemaRoot batch = reader.getVectorSchemaRoot();
      while (next(reader)) {
        UInt8Vector fileIndex = (UInt8Vector) batch.getVector(FILE_INDEX);
        int rows = batch.getRowCount();
        int start = 0;
        while (start < rows) {
          long file = fileIndex.get(start);
          int end = start + 1;
          while (end < rows && fileIndex.get(end) == file) {
            end++;
          }
          writers.write(file, batch, start, end - start);
          start = end;
        }
      }
      return writers.finish();
    }
  }

  /** The next batch: Arrow reports DuckDB's failure to read a file mid-stream as an IOException. */
  private static boolean next(ArrowReader reader) throws SQLException {
    try {
      return reader.loadNextBatch();
    } catch (IOException e) {
      throw new SQLException(e.getMessage(), e);
    }
  }

  /**
   * The targets' writers: one open at a time, over a root that takes slices of the query's batches.
   * Not thread-safe.
   */
  private static final class Writers implements AutoCloseable {
    private final List<Path> targets;
    private final ArrowReader reader;
    private final BufferAllocator allocator;
    private final org.apache.arrow.vector.types.pojo.Schema schema;
    private final long[] rows;
    private final boolean[] finished;
    private int current = -1;
    private FileChannel channel;
    private VectorSchemaRoot root;
    private ArrowFileWriter writer;

    Writers(ArrowReader reader, List<Path> targets, BufferAllocator allocator) throws IOException {
      this.targets = targets;
      this.reader = reader;
      this.allocator = allocator;
      this.schema = new org.apache.arrow.vector.types.pojo.Schema(reader.getVectorSchemaRoot().getSchema().getFields()
          .stream().filter(f -> !f.getName().equals(FILE_INDEX)).toList());
      this.rows = new long[targets.size()];
      this.finished = new boolean[targets.size()];
    }

    /** Moves rows {@code [start, start + count)} of {@code batch}, all of file {@code file}, into its fragment. */
    void write(long file, VectorSchemaRoot batch, int start, int count) throws IOException {
      if (file < 0 || file >= rows.length) {
        throw new IllegalStateException("DuckDB numbered a row's file " + file + " of " + rows.length);
      }
      int i = (int) file;
      if (i != current) {
        if (finished[i]) {
          throw new OutOfFileOrder(i);
        }
        finishCurrent();
        open(i);
      }
      for (FieldVector into : root.getFieldVectors()) {
        batch.getVector(into.getName()).makeTransferPair(into).splitAndTransfer(start, count);
      }
      root.setRowCount(count);
      writer.writeBatch();
      root.clear(); // the slice is written: let the batch's buffers go with it
      rows[i] += count;
    }

    /** Ends every fragment, files without rows included; returns the rows each holds. */
    long[] finish() throws IOException {
      finishCurrent();
      for (int i = 0; i < targets.size(); i++) {
        if (!finished[i]) {
          open(i);
          finishCurrent();
        }
      }
      return rows.clone();
    }

    private void open(int i) throws IOException {
      current = i;
      channel = FileChannel.open(targets.get(i), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      root = VectorSchemaRoot.create(schema, allocator);
      writer = new ArrowFileWriter(root, reader, channel);
      writer.start();
    }

    private void finishCurrent() throws IOException {
      if (current < 0) {
        return;
      }
      writer.end();
      finished[current] = true;
      current = -1;
      close();
    }

    @Override
    public void close() throws IOException {
      try (FileChannel c = channel; VectorSchemaRoot r = root) {
        if (writer != null) {
          writer.close(); // ends the file unless ended, and closes the channel
        }
      } finally {
        writer = null;
        root = null;
        channel = null;
        current = -1;
      }
    }
  }
}
