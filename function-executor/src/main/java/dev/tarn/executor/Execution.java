package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBResultSet;

/**
 * One run of one statement. {@link #run()} blocks the calling thread until DuckDB has the first
 * batch (or the update count); {@link #cancel()} may be called from any thread at any time, also
 * before or after the run, and interrupts DuckDB mid-query.
 *
 * <p>Lifecycle: a query yields a {@link RowStream} that the caller must close; an update releases
 * everything before it returns.
 */
public final class Execution {
  private final EngineSession session;
  private final String sql;
  private final List<Object> parameters;
  private final BufferAllocator allocator;
  /**
   * What DuckDB's JDBC driver throws, streaming results, for an error raised while a query runs (a
   * failed cast, {@code error()}, a broken data file): its result holds the error, but the driver
   * checks only that there is one (duckdb-java's {@code duckdb_jdbc_query_result_meta} and
   * {@code duckdb_jdbc_arrow_stream}).
   */
  static final String OPAQUE_RUN_ERROR = "Invalid Input Error: Invalid result set";

  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile boolean timedOut;
  private volatile Statement running;

  Execution(EngineSession session, String sql, List<Object> parameters, BufferAllocator allocator) {
    this.session = session;
    this.sql = sql;
    this.parameters = parameters;
    this.allocator = allocator;
  }

  public String sql() {
    return sql;
  }

  /**
   * Runs the statement, on one of the engine's {@link DeepStackThreads}. Throws {@link EngineException}
   * with a user-facing message on failure.
   */
  public ExecutionResult run() {
    // Waits no longer than the time limit, also while DuckDB prepares, which it cannot interrupt.
    return session.engine().deepStack().call(this::runHere, session.engine().config().queryTimeout(), () -> {
      timedOut = true;
      cancel();
      return cancelledException(null);
    });
  }

  private ExecutionResult runHere() {
    DuckDbEngine engine = session.engine();
    engine.acquireSlot();
    DuckDBConnection connection = null;
    ScheduledFuture<?> timeout = null;
    boolean handedOff = false;
    try {
      checkNotCancelled();
      // The time limit covers preparing: DuckDB parses, binds and plans there, which can take long.
      long timeoutMillis = engine.config().queryTimeout().toMillis();
      timeout = engine.timeouts().schedule(this::timeOut, timeoutMillis, TimeUnit.MILLISECONDS);
      connection = session.lease();
      Statement statement = EngineStatements.open(connection, sql, parameters);
      running = statement;
      checkNotCancelled();
      boolean hasRows = EngineStatements.execute(statement, sql, parameters);
      checkNotCancelled();
      if (!hasRows) {
        long count = Math.max(0, statement.getUpdateCount());
        return new UpdateCount(count);
      }
      DuckDBResultSet rs = (DuckDBResultSet) statement.getResultSet();
      ArrowReader reader = (ArrowReader) rs.arrowExportStream(allocator, engine.config().batchRows());
      handedOff = true;
      return new DuckDbRowStream(reader, rs.getMetaData(), statement, connection, timeout);
    } catch (SQLException e) {
      boolean opaque = connection != null && OPAQUE_RUN_ERROR.equals(e.getMessage());
      throw failure(opaque ? duckDbsOwnError(connection, e) : e);
    } finally {
      if (!handedOff) {
        finish(connection, timeout);
      }
    }
  }

  /**
   * The error DuckDB raised where its streaming driver said only {@link #OPAQUE_RUN_ERROR}. The
   * driver's chunked results report a run's error itself, so a query (by DuckDB's own reading:
   * nothing it runs writes) runs once more there, under the same time limit and cancel. That costs
   * a second run, up to the point of failure, only to statements that failed. A run that gets
   * through this time, or a text that is not one query, keeps the driver's words.
   */
  private SQLException duckDbsOwnError(DuckDBConnection connection, SQLException opaque) {
    try {
      if (cancelled.get() || !session.read(sql).isOneQuery()) {
        return opaque;
      }
    } catch (RuntimeException e) {
      return opaque; // DuckDB's reading failed too: nothing better to say than the driver's words
    }
    Statement first = running;
    try (DuckDBPreparedStatement again = connection.prepareStatement(sql).unwrap(DuckDBPreparedStatement.class)) {
      running = again;
      if (cancelled.get()) {
        return opaque;
      }
      for (int i = 0; i < parameters.size(); i++) {
        again.setObject(i + 1, parameters.get(i));
      }
      again.query().close();
      return opaque;
    } catch (SQLException e) {
      return e;
    } finally {
      running = first;
    }
  }

  /** Asks DuckDB to stop; the running call then fails with a CANCELLED {@link EngineException}. */
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      Statement statement = running;
      if (statement != null) {
        try {
          statement.cancel();
        } catch (SQLException ignored) {
          // the statement already finished or closed: nothing left to interrupt
        }
      }
    }
  }

  public boolean isCancelled() {
    return cancelled.get();
  }

  private void timeOut() {
    timedOut = true;
    cancel();
  }

  private void checkNotCancelled() {
    if (cancelled.get()) {
      throw cancelledException(null);
    }
  }

  private EngineException failure(Exception e) {
    if (cancelled.get()) {
      return cancelledException(e);
    }
    EngineException translated = e instanceof SQLException sql ? DuckDbErrors.translate(sql)
        : DuckDbErrors.fromArrowStream(e).orElseGet(() -> new EngineException(Reason.INVALID, e.getMessage(), e));
    // DuckDB names a file it could not read by its full path: the client sees it from the warehouse on
    return DuckDbErrors.withoutFolder(translated, session.engine().config().warehouse());
  }

  private EngineException cancelledException(Exception cause) {
    return timedOut
        ? new EngineException(Reason.CANCELLED, "the statement ran longer than the server's query timeout of "
            + session.engine().config().queryTimeout().toSeconds() + " s (set by tarn serve --query-timeout) and was stopped",
            cause)
        : new EngineException(Reason.CANCELLED, "the statement was cancelled", cause);
  }

  private void finish(DuckDBConnection connection, ScheduledFuture<?> timeout) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    Statement statement = running;
    running = null;
    if (statement != null) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // closing a failed statement: DuckDB already reported the failure
      }
    }
    if (connection != null) {
      session.release(connection);
    }
    session.engine().releaseSlot();
  }

  /** Streams DuckDB's Arrow export; closing it ends the statement and frees its connection. */
  private final class DuckDbRowStream implements RowStream {
    private final ArrowReader reader;
    private final Statement statement;
    private final DuckDBConnection connection;
    private final ScheduledFuture<?> timeout;
    private long rows;
    private long bytes;
    private boolean closed;
    /** The batch with dictionary-encoded (ENUM) columns decoded, when the result has any. */
    private VectorSchemaRoot decoded;
    /** DuckDB's description of the columns, for the type names its Arrow export loses. */
    private final ResultSetMetaData columns;
    /** The batch as clients see it: the exported or decoded vectors under a schema with the lost type names. */
    private VectorSchemaRoot shown;

    DuckDbRowStream(ArrowReader reader, ResultSetMetaData columns, Statement statement,
        DuckDBConnection connection, ScheduledFuture<?> timeout) {
      this.columns = columns;
      this.reader = reader;
      this.statement = statement;
      this.connection = connection;
      this.timeout = timeout;
    }

    @Override
    public Schema schema() {
      return root().getSchema();
    }

    @Override
    public VectorSchemaRoot root() {
      return session.engine().deepStack().call(() -> {
        try {
          if (shown == null) {
            // the schema is the same for every batch: judged, decoded and named once, at the first
            VectorSchemaRoot exported = reader.getVectorSchemaRoot();
            DecodedDictionaries.refuseNested(exported.getSchema());
            if (DecodedDictionaries.anyIn(exported.getSchema())) {
              decoded = VectorSchemaRoot.create(DecodedDictionaries.decodedSchema(exported.getSchema(), reader),
                  allocator);
            }
            VectorSchemaRoot batch = decoded == null ? exported : decoded;
            Schema named = ColumnTypeNames.annotate(batch.getSchema(), columns);
            // the same vectors, described with the type names: nothing is copied
            shown = named == batch.getSchema() ? batch
                : new VectorSchemaRoot(named, batch.getFieldVectors(), batch.getRowCount());
          }
          return shown;
        } catch (IOException | SQLException e) {
          throw failure(e);
        }
      });
    }

    @Override
    public boolean next() {
      checkNotCancelled();
      // DuckDB runs the query's pipelines as batches are fetched: as deep in the stack as preparing it
      return session.engine().deepStack().call(this::fetchNext);
    }

    private boolean fetchNext() {
      try {
        boolean loaded = reader.loadNextBatch();
        if (loaded) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          VectorSchemaRoot shownRoot = root();
          if (decoded != null) {
            DecodedDictionaries.decodeInto(root, reader, decoded, allocator);
          }
          if (shownRoot != root && shownRoot != decoded) {
            shownRoot.setRowCount((decoded == null ? root : decoded).getRowCount());
          }
          rows += root.getRowCount();
          root.getFieldVectors().forEach(v -> bytes += v.getBufferSize());
        }
        return loaded;
      } catch (IOException | RuntimeException e) {
        Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
        throw failure(cause instanceof Exception ex ? ex : e);
      }
    }

    @Override
    public long rowsProduced() {
      return rows;
    }

    @Override
    public long bytesProduced() {
      return bytes;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (decoded != null) {
          decoded.close();
        }
        reader.close();
      } catch (IOException | RuntimeException ignored) {
        // the reader's buffers are released either way
      }
      finish(connection, timeout);
    }
  }
}
