package dev.tarn.executor.python;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
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
}
