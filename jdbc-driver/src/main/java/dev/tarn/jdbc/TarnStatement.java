package dev.tarn.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.sql.FlightSqlClient;

/**
 * Runs SQL text. A query's rows stream from the server ({@link TarnResultSet}); a statement that
 * changes data is sent as a Flight SQL update and reports its row count. The query timeout is the
 * calls' deadline, and {@link #cancel()} asks the server to stop the running query.
 */
class TarnStatement implements Statement, SelfWrapper {
  final TarnConnection connection;
  final ServerLink link;
  private final List<String> batch = new ArrayList<>();
  private volatile FlightInfo running;
  private volatile TarnResultSet result;
  private long updateCount = -1;
  private int queryTimeoutSeconds;
  private int fetchSize;
  private long maxRows;
  private boolean closeOnCompletion;
  private volatile boolean closed;

  TarnStatement(TarnConnection connection) {
    this.connection = connection;
    this.link = connection.link();
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("this statement is closed", "HY010");
    }
    connection.checkOpen();
  }

  /** Ends the previous result before a new execution, as JDBC requires. */
  void startExecution() throws SQLException {
    checkOpen();
    closeResult();
    updateCount = -1;
  }

  private void closeResult() throws SQLException {
    TarnResultSet previous = result;
    result = null;
    running = null;
    if (previous != null) {
      previous.close();
    }
  }

  SQLException translate(FlightRuntimeException e) {
    return link.errors().translate(e, queryTimeoutSeconds);
  }

  FlightSqlClient.Transaction transaction() throws SQLException {
    return connection.transaction();
  }

  int timeout() {
    return queryTimeoutSeconds;
  }

  /** Fetches a query's rows: waits for the first batch, so errors surface here. */
  TarnResultSet openResult(FlightInfo info) throws SQLException {
    running = info;
    FlightStream stream = null;
    try {
      stream = link.stream(info, queryTimeoutSeconds);
      stream.getRoot(); // waits for the schema; a failed query fails here
      TarnResultSet rows = new TarnResultSet(this, new FlightBatches(stream, link.errors(), queryTimeoutSeconds));
      rows.limitRows(maxRows);
      rows.setFetchSize(fetchSize);
      result = rows;
      rows.prefetch();
      return rows;
    } catch (FlightRuntimeException e) {
      closeQuietly(stream);
      throw translate(e);
    } catch (SQLException e) {
      closeResult();
      throw e;
    }
  }

  private static void closeQuietly(FlightStream stream) {
    if (stream != null) {
      try {
        stream.close();
      } catch (Exception ignored) {
        // the stream already failed
      }
    }
  }

  /** Statement.closeOnCompletion: the statement closes with its last result. */
  void resultClosed(TarnResultSet closedResult) throws SQLException {
    if (closeOnCompletion && result == closedResult) {
      close();
    }
  }

    void recordUpdateCount(long count) {
    updateCount = count;
  }

  // ---- execution ----------------------------------------------------------------------------

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    startExecution();
    return openResult(query(sql));
  }

  private FlightInfo query(String sql) throws SQLException {
    try {
      return link.sql().execute(requireSql(sql), transaction(), link.options(queryTimeoutSeconds));
    } catch (FlightRuntimeException e) {
      throw translate(e);
    }
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate(sql));
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    startExecution();
    try {
      updateCount = link.sql().executeUpdate(requireSql(sql), transaction(), link.options(queryTimeoutSeconds));
    } catch (FlightRuntimeException e) {
      throw translate(e);
    }
    long count = updateCount;
    updateCount = -1;
    return count;
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    if (LeadingKeyword.isUpdate(requireSql(sql))) {
      long count = executeLargeUpdate(sql);
      updateCount = count;
      return false;
    }
    startExecution();
    FlightInfo info = query(sql);
    if (info.getSchemaOptional().map(s -> s.getFields().isEmpty()).orElse(false)) {
      updateCount = 0; // a statement without rows (USE, BEGIN, a Tarn command): it ran at GetFlightInfo
      drain(info);
      return false;
    }
    openResult(info);
    return true;
  }

  /** Reads the empty result a statement without rows leaves, so the server can forget it. */
  @SuppressWarnings("try") // FlightStream.close() declares Exception, which includes InterruptedException
  private void drain(FlightInfo info) throws SQLException {
    try (FlightStream stream = link.stream(info, queryTimeoutSeconds)) {
      while (stream.next()) {
        // nothing to read
      }
    } catch (FlightRuntimeException e) {
      throw translate(e);
    } catch (SQLException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException(e.getMessage(), "HY000", e);
    }
  }

  static String requireSql(String sql) throws SQLException {
    if (sql == null || sql.isBlank()) {
      throw new SQLException("the SQL statement is empty", "42000");
    }
    return sql;
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return execute(sql);
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return executeUpdate(sql);
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return executeUpdate(sql);
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    return executeUpdate(sql);
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    checkOpen();
    return result;
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, getLargeUpdateCount());
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    checkOpen();
    return result != null ? -1 : updateCount;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    checkOpen();
    closeResult();
    updateCount = -1;
    return false;
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    return getMoreResults();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    checkOpen();
    return new LocalRows(link.allocator()).column("GENERATED_KEY", LocalRows.Kind.TEXT).result(this);
  }

  // ---- batches ------------------------------------------------------------------------------

  @Override
  public void addBatch(String sql) throws SQLException {
    checkOpen();
    batch.add(requireSql(sql));
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    long[] counts = executeLargeBatch();
    int[] result = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      result[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
    }
    return result;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<String> statements = List.copyOf(batch);
    batch.clear();
    long[] counts = new long[statements.size()];
    for (int i = 0; i < counts.length; i++) {
      try {
        counts[i] = executeLargeUpdate(statements.get(i));
      } catch (SQLException e) {
        throw new BatchUpdateException("statement " + (i + 1) + " of the batch failed: " + e.getMessage(),
            e.getSQLState(), e.getErrorCode(), counts, e);
      }
    }
    return counts;
  }

  // ---- cancel, timeout, limits ----------------------------------------------------------------

  /** Asks the server to stop the running query and stops this statement's transfer; any thread. */
  @Override
  public void cancel() throws SQLException {
    checkOpen();
    FlightInfo info = running;
    if (info != null) {
      try {
        link.sql().cancelFlightInfo(new CancelFlightInfoRequest(info), link.options(10));
      } catch (FlightRuntimeException e) {
        // the query may have ended meanwhile: nothing left to cancel
      }
    }
    TarnResultSet rows = result;
    if (rows != null) {
      rows.cancel();
    }
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw new SQLException("query timeout must not be negative: " + seconds, "HY024");
    }
    queryTimeoutSeconds = seconds;
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeoutSeconds;
  }

  /** A hint kept for the results: the server sizes its batches, the driver holds one at a time. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw new SQLException("fetch size must not be negative: " + rows, "HY024");
    }
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  @Override
  public void setMaxRows(int rows) throws SQLException {
    setLargeMaxRows(rows);
  }

  @Override
  public void setLargeMaxRows(long rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw new SQLException("max rows must not be negative: " + rows, "HY024");
    }
    maxRows = rows;
  }

  @Override
  public int getMaxRows() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, getLargeMaxRows());
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return 0;
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen(); // values are never truncated
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen(); // SQL goes to the server as written
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no named cursors", "0A000");
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != ResultSet.FETCH_FORWARD) {
      throw new SQLFeatureNotSupportedException("Tarn results are forward-only", "0A000");
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    checkOpen();
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() throws SQLException {
    checkOpen();
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    checkOpen();
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    connection.forget(this);
    closeResult();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return false;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }
}
