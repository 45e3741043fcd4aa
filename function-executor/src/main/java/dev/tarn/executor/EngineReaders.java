package dev.tarn.executor;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.duckdb.DuckDBConnection;

/**
 * Connections kept for reading statement texts with DuckDB's parser, each with its reading call
 * ({@link EngineReader#CALL}) prepared. A reading depends on the text alone, not on a session's
 * catalog or schema, so any of them serves any session. Reading a new text on a session's own
 * connection prepared the call each time, which took about twice as long as the reading itself
 * for a short text; a session that keeps no connection also opened and set one for it.
 */
final class EngineReaders implements AutoCloseable {
  /** Readers kept between readings; more are opened while more read at once, and closed after. */
  private static final int KEPT = 4;

  /** A connection and the reading call prepared on it, used by one thread at a time. */
  private record Reader(DuckDBConnection connection, PreparedStatement call) {
    void close() {
      try {
        call.close();
      } catch (SQLException ignored) {
        // the connection's close below releases it too
      }
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing left to do for a reader being discarded
      }
    }
  }

  /** Opens a connection to the engine's database. */
  interface Connections {
    DuckDBConnection open() throws SQLException;
  }

  private final Connections connections;
  private final BlockingQueue<Reader> idle = new ArrayBlockingQueue<>(KEPT);
  private volatile boolean closed;

  EngineReaders(Connections connections) {
    this.connections = connections;
  }

  /** DuckDB's reading of {@code sql}, on a kept reader (a new one when all are busy). */
  EngineReading read(String sql) throws SQLException {
    Reader reader = idle.poll();
    if (reader == null) {
      reader = open();
    }
    boolean fine = false;
    try {
      EngineReading reading = EngineReader.read(reader.call(), sql);
      fine = true;
      return reading;
    } finally {
      // a reader that failed is not trusted again
      if (!fine || closed || !idle.offer(reader)) {
        reader.close();
      }
    }
  }

  private Reader open() throws SQLException {
    DuckDBConnection connection = connections.open();
    try {
      return new Reader(connection, connection.prepareStatement(EngineReader.CALL));
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    Reader reader;
    while ((reader = idle.poll()) != null) {
      reader.close();
    }
  }
}
