package dev.tarn.executor.python;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;

/** A table handed to a Python model; written once as an Arrow IPC file the model memory-maps. */
@FunctionalInterface
public interface ModelInput {

  /** Writes the table as an Arrow IPC file (the writer closes the channel). */
  void writeArrowFile(WritableByteChannel channel) throws IOException;

  /** The rows currently loaded in {@code root}, as one batch. */
  static ModelInput of(VectorSchemaRoot root) {
    return channel -> {
      try (ArrowFileWriter writer =
          new ArrowFileWriter(root, new DictionaryProvider.MapDictionaryProvider(), channel)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
    };
  }

  /**
   * Every batch {@code reader} yields (for example DuckDB's Arrow export of a scan). The reader is
   * consumed by the first write; its owner still closes it.
   */
  static ModelInput of(ArrowReader reader) {
    return channel -> {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      try (ArrowFileWriter writer = new ArrowFileWriter(root, reader, channel)) {
        writer.start();
        while (reader.loadNextBatch()) {
          writer.writeBatch();
        }
        writer.end();
      }
    };
  }

  /**
   * An Arrow IPC file already in shared memory that the model process maps as it is.
   *
   * @param columns the columns to take from it, in order (they get the input's names)
   */
  record SharedFile(Path file, List<String> columns) {
    public SharedFile {
      columns = List.copyOf(columns);
    }
  }

  /**
   * A table handed over in parts the model process concatenates without copying: files already in
   * shared memory, then the rows {@code rest} writes.
   *
   * @param shared the files handed over by path; they must stay until the model has run
   * @param names the table's column names, which each part's columns get in order
   * @param rest the remaining rows, with columns {@code names}; null when there are none
   */
  record Parts(List<SharedFile> shared, List<String> names, ModelInput rest) implements ModelInput {
    public Parts {
      shared = List.copyOf(shared);
      names = List.copyOf(names);
      if (shared.isEmpty() && rest == null) {
        throw new IllegalArgumentException("an input in parts needs at least one part");
      }
    }

    @Override
    public void writeArrowFile(WritableByteChannel channel) throws IOException {
      if (rest == null) {
        throw new IllegalStateException("this input has no rows to write: its parts are all shared files");
      }
      rest.writeArrowFile(channel);
    }
  }
}
