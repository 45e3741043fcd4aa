package dev.tarn.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.NoOpSessionOptionValueVisitor;
import org.apache.arrow.flight.SessionOptionValue;
import org.apache.arrow.flight.SessionOptionValueFactory;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.flight.sql.impl.FlightSql.SqlInfo;

/**
 * A JDBC connection to Tarn: one server session (kept by its cookie). The catalog is the session's
 * branch or tag and the schema its current schema, both held by the server; with auto-commit off,
 * statements run in a Flight SQL transaction (a real Tarn transaction) begun on first use.
 */
final class TarnConnection implements Connection, SelfWrapper {
  private final ServerLink link;
  private final TarnDatabaseMetaData metaData;
  private final Set<TarnStatement> statements = ConcurrentHashMap.newKeySet();
  private final Properties clientInfo = new Properties();
  private volatile boolean closed;
  private boolean autoCommit = true;
  private FlightSqlClient.Transaction transaction;

  private TarnConnection(ServerLink link, ServerFacts facts) {
    this.link = link;
    this.metaData = new TarnDatabaseMetaData(this, facts);
  }

  /** Connects, logs in, and moves the session to the URL's branch and schema. */
  static TarnConnection open(TarnUrl url) throws SQLException {
    ServerLink link = ServerLink.open(url);
    try {
      ServerFacts facts;
      try {
        facts = ServerFacts.read(link);
      } catch (FlightRuntimeException e) {
        throw e.status().code() == FlightStatusCode.UNAUTHENTICATED ? link.loginRefused(e)
            : link.errors().translate(e);
      }
      TarnConnection connection = new TarnConnection(link, facts);
      if (url.branch().isPresent()) {
        connection.setCatalog(url.branch().get());
      }
      if (url.schema().isPresent()) {
        connection.setSchema(url.schema().get());
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      link.close();
      throw e;
    }
  }

  ServerLink link() {
    return link;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw link.errors().closed("this connection");
    }
  }

  /** The transaction statements join: none with auto-commit on; begun on first use otherwise. */
  synchronized FlightSqlClient.Transaction transaction() throws SQLException {
    checkOpen();
    if (autoCommit) {
      return null;
    }
    if (transaction == null) {
      try {
        transaction = link.sql().beginTransaction(link.options());
      } catch (FlightRuntimeException e) {
        throw link.errors().translate(e);
      }
    }
    return transaction;
  }

  void forget(TarnStatement statement) {
    statements.remove(statement);
  }

  // ---- statements -------------------------------------------------------------------------

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    TarnStatement statement = new TarnStatement(this);
    statements.add(statement);
    return statement;
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    checkResultSetKind(type, concurrency);
    return createStatement();
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    return createStatement(type, concurrency);
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    TarnPreparedStatement statement = TarnPreparedStatement.prepare(this, sql);
    statements.add(statement);
    return statement;
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    checkResultSetKind(type, concurrency);
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return prepareStatement(sql, type, concurrency);
  }

  /** Generated keys do not exist in Tarn; the statement runs and getGeneratedKeys is empty. */
  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return prepareStatement(sql);
  }

  private void checkResultSetKind(int type, int concurrency) throws SQLException {
    if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw new SQLFeatureNotSupportedException("Tarn results are TYPE_FORWARD_ONLY and CONCUR_READ_ONLY",
          "0A000");
    }
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no stored procedures (prepareCall)", "0A000");
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    return prepareCall(sql);
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    return prepareCall(sql);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    checkOpen();
    return sql;
  }

  // ---- transactions -----------------------------------------------------------------------

  @Override
  public synchronized void setAutoCommit(boolean on) throws SQLException {
    checkOpen();
    if (on && !autoCommit) {
      commit(); // JDBC: switching auto-commit on commits the open transaction
    }
    autoCommit = on;
  }

  @Override
  public synchronized boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  @Override
  public synchronized void commit() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw new SQLException("commit() needs auto-commit off (setAutoCommit(false))", "25000");
    }
    endTransaction(true);
  }

  @Override
  public synchronized void rollback() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw new SQLException("rollback() needs auto-commit off (setAutoCommit(false))", "25000");
    }
    endTransaction(false);
  }

  private void endTransaction(boolean commit) throws SQLException {
    FlightSqlClient.Transaction ending = transaction;
    if (ending == null) {
      return; // nothing ran since the last commit or rollback
    }
    transaction = null;
    try {
      if (commit) {
        link.sql().commit(ending, link.options());
      } else {
        link.sql().rollback(ending, link.options());
      }
    } catch (FlightRuntimeException e) {
      throw link.errors().translate(e);
    }
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn transactions have no savepoints", "0A000");
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    return setSavepoint();
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    setSavepoint();
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    setSavepoint();
  }

  /**
   * Tarn transactions are serializable (a private branch merged at commit); JDBC lets a driver
   * substitute a stricter level for a weaker one asked for, so every level but NONE is accepted.
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    if (level != TRANSACTION_READ_UNCOMMITTED && level != TRANSACTION_READ_COMMITTED
        && level != TRANSACTION_REPEATABLE_READ && level != TRANSACTION_SERIALIZABLE) {
      throw new SQLException("transaction isolation level " + level + " does not exist or is not offered"
          + " (Tarn transactions are TRANSACTION_SERIALIZABLE)", "HY024");
    }
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return TRANSACTION_SERIALIZABLE;
  }

  // ---- catalog (branch or tag) and schema ---------------------------------------------------

  /** Moves the session to a branch or tag; later statements read and write there. */
  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    if (catalog == null || catalog.isBlank()) {
      return; // JDBC: a driver that cannot use the value ignores it
    }
    synchronized (this) {
      if (transaction != null) {
        throw new SQLException("commit or roll back the open transaction before switching to branch or tag '"
            + catalog + "'", "25000");
      }
    }
    setOption("catalog", catalog, "no branch or tag named '" + catalog + "' at " + link.url().address()
        + " (or you may not read it)");
  }

  @Override
  public String getCatalog() throws SQLException {
    return option("catalog");
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (schema == null || schema.isBlank()) {
      throw new SQLException("setSchema needs a schema name", "3F000");
    }
    setOption("schema", schema, "no schema named '" + schema + "' on " + getCatalog());
  }

  @Override
  public String getSchema() throws SQLException {
    return option("schema");
  }

  private void setOption(String name, String value, String refusal) throws SQLException {
    SetSessionOptionsResult result;
    try {
      result = link.sql().setSessionOptions(new SetSessionOptionsRequest(
          Map.of(name, SessionOptionValueFactory.makeSessionOptionValue(value))), link.options());
    } catch (FlightRuntimeException e) {
      throw link.errors().translate(e);
    }
    if (result.hasErrors()) {
      throw new SQLException(refusal, name.equals("schema") ? "3F000" : "3D000");
    }
  }

  private String option(String name) throws SQLException {
    checkOpen();
    Map<String, SessionOptionValue> options;
    try {
      options = link.sql().getSessionOptions(new GetSessionOptionsRequest(), link.options()).getSessionOptions();
    } catch (FlightRuntimeException e) {
      throw link.errors().translate(e);
    }
    SessionOptionValue value = options.get(name);
    return value == null ? null : value.acceptVisitor(new NoOpSessionOptionValueVisitor<String>() {
      @Override
      public String visit(String text) {
        return text;
      }
    });
  }

  // ---- the connection as a whole ------------------------------------------------------------

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return metaData;
  }

  /**
   * Closes the statements, rolls back an open transaction (JDBC leaves this to the driver; Tarn
   * never commits what the user did not commit), ends the server session and the wire.
   */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    for (TarnStatement statement : statements.toArray(TarnStatement[]::new)) {
      try {
        statement.close();
      } catch (SQLException e) {
        // the connection closes regardless
      }
    }
    synchronized (this) {
      if (transaction != null) {
        try {
          link.sql().rollback(transaction, link.options(5));
        } catch (RuntimeException e) {
          // the server rolls back a transaction whose session ends
        }
        transaction = null;
      }
      closed = true;
    }
    link.close();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    if (timeoutSeconds < 0) {
      throw new SQLException("isValid timeout must not be negative: " + timeoutSeconds, "HY024");
    }
    if (closed) {
      return false;
    }
    try {
      link.sql().getSessionOptions(new GetSessionOptionsRequest(), link.options(timeoutSeconds));
      return true;
    } catch (FlightRuntimeException e) {
      return false;
    }
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw new SQLException("abort needs an executor", "HY009");
    }
    executor.execute(() -> {
      try {
        close();
      } catch (SQLException e) {
        // aborting cannot report
      }
    });
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen(); // a hint; permissions decide what a user may write
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return false;
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
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    return Map.of();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    checkOpen(); // STRUCT values come back as java.sql.Struct; custom mappings are not applied
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    if (holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
      throw new SQLFeatureNotSupportedException("Tarn results close at commit", "0A000");
    }
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {
    if (value == null) {
      clientInfo.remove(name);
    } else {
      clientInfo.setProperty(name, value);
    }
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    clientInfo.clear();
    clientInfo.putAll(properties);
  }

  @Override
  public String getClientInfo(String name) {
    return clientInfo.getProperty(name);
  }

  @Override
  public Properties getClientInfo() {
    Properties copy = new Properties();
    copy.putAll(clientInfo);
    return copy;
  }

  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    checkOpen();
    return new TarnArray(new SqlType(java.sql.Types.OTHER, typeName, 0, 0, 0, Object.class.getName(), false),
        elements.clone());
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    throw new SQLFeatureNotSupportedException("createStruct is not supported: bind a struct's fields separately",
        "0A000");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no LOB locators: use setBytes", "0A000");
  }

  @Override
  public Clob createClob() throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no LOB locators: use setString", "0A000");
  }

  @Override
  public NClob createNClob() throws SQLException {
    return (NClob) createClob();
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no XML type", "0A000");
  }

  @Override
  public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
    checkOpen(); // calls carry the statement's query timeout as their deadline instead
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return 0;
  }

  /** What the server says about itself on connect (GetSqlInfo), for DatabaseMetaData. */
  record ServerFacts(String name, String version, Map<Integer, Object> info) {
    static ServerFacts read(ServerLink link) throws SQLException {
      Map<Integer, Object> info = SqlInfoReader.read(link);
      Object name = info.get(SqlInfo.FLIGHT_SQL_SERVER_NAME_VALUE);
      Object version = info.get(SqlInfo.FLIGHT_SQL_SERVER_VERSION_VALUE);
      return new ServerFacts(name == null ? "Tarn" : name.toString(), version == null ? "" : version.toString(),
          Map.copyOf(info));
    }
  }
}
