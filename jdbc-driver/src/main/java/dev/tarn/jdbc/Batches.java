package dev.tarn.jdbc;

import java.sql.SQLException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/**
 * The Arrow batches a result reads, one at a time into the same {@link #root()}: a Flight stream
 * from the server, or rows the driver built itself (metadata answers).
 */
interface Batches extends AutoCloseable {
  VectorSchemaRoot root();

  DictionaryProvider dictionaries();

  /** Loads the next batch into {@link #root()}; false at the end. */
  boolean next() throws SQLException;

  /** Stops the transfer (another thread may call this while {@link #next()} waits). */
  void cancel();

  @Override
  void close() throws SQLException;

  /** A single batch the driver owns. */
  static Batches of(VectorSchemaRoot root) {
    return new Batches() {
      private boolean loaded;

      @Override
      public VectorSchemaRoot root() {
        return root;
      }

      @Override
      public DictionaryProvider dictionaries() {
        return null;
      }

      @Override
      public boolean next() {
        boolean first = !loaded;
        loaded = true;
        return first;
      }

      @Override
      public void cancel() {
        loaded = true;
      }

      @Override
      public void close() {
        root.close();
      }
    };
  }
}
