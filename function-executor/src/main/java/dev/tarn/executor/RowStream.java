package dev.tarn.executor;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A result being produced batch by batch. Pull-based: each {@link #next()} asks DuckDB for the next
 * batch, so a slow reader slows the query instead of buffering the result in memory.
 *
 * <p>Exactly one thread reads a stream; {@link Execution#cancel()} may be called from any other.
 * {@link #close()} must always be called; it releases the engine slot and the connection.
 */
public non-sealed interface RowStream extends ExecutionResult, AutoCloseable {

  Schema schema();

  /** The batch most recently loaded by {@link #next()}; its vectors are reused between batches. */
  VectorSchemaRoot root();

  /** Loads the next batch into {@link #root()}; false at the end. */
  boolean next();

  /**
   * Asks the producer to stop, from any thread (its client went away): a stream produced by work
   * that goes on meanwhile (a pipeline run) stops that work, and its reader then gets the end or
   * the error. Nothing to do for results that are computed when they are read.
   */
  default void cancel() {}

  long rowsProduced();

  long bytesProduced();

  @Override
  void close();
}
