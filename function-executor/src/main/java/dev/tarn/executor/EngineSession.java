package dev.tarn.executor;

import dev.tarn.executor.EngineException.Reason;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.duckdb.DuckDBResultSetMetaData;
import org.duckdb.StatementReturnType;

/**
 * One client session's view of the engine: its current schema, its temporary tables and its DuckDB
 * connections.
 *
 * <p>A DuckDB connection runs one statement at a time and a streaming result keeps it busy until
 * read to the end, so a session leases a connection per statement: its idle one when free, a new
 * one (set to the session's schema) when a result is still streaming. Session state lives here,
 * not in any one connection: temporary tables and views live in the session's {@link
 * TemporaryCatalog}, which every connection reaches, never in DuckDB's per-connection {@code temp}.
 */
public final class EngineSession implements AutoCloseable {
  private final DuckDbEngine engine;
  private final Deque<DuckDBConnection> idle = new ArrayDeque<>();
  /**
   * The catalog, schema and temporary catalog each open connection was last set to by this class.
   * Clients cannot change a connection's settings (StatementPolicy refuses SET and USE reaches
   * here), so a connection found already set is not set again: those statements were most of what
   * the engine did for a short query.
   */
  private final Map<DuckDBConnection, String> settled = new IdentityHashMap<>();
  private volatile String currentCatalog = DuckDbEngine.CATALOG;
  private volatile String currentSchema = DuckDbEngine.DEFAULT_SCHEMA;
  private boolean closed;
  private boolean retainsIdleConnection = true;
  private volatile TemporaryCatalog temporary;

  EngineSession(DuckDbEngine engine) {
    this.engine = engine;
  }

  public String currentCatalog() {
    return currentCatalog;
  }

  /**
   * Switches the DuckDB catalog unqualified names resolve in (the engine's own catalog, or an
   * attached lakehouse commit catalog such as {@code lake_0123abcd4567ef01}), keeping the current
   * schema. Every connection the session leases afterwards starts in it.
   */
  public void useCatalog(String catalog) {
    DuckDBConnection connection = lease();
    try (Statement s = connection.createStatement()) {
      s.execute("USE " + quoteIdentifier(catalog) + "." + quoteIdentifier(currentSchema));
      currentCatalog = catalog;
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      unsettle(connection);
      release(connection);
    }
  }

  /**
   * Moves the session to a catalog and schema at once (a new commit catalog after the branch moved,
   * or another reference). Fails, changing nothing, when the schema does not exist there.
   */
  public synchronized void use(String catalog, String schema) {
    if (catalog.equals(currentCatalog) && schema.equals(currentSchema)) {
      return; // checked when the session moved there
    }
    String oldCatalog = currentCatalog;
    String oldSchema = currentSchema;
    currentCatalog = catalog;
    currentSchema = schema;
    try {
      release(lease());
    } catch (RuntimeException e) {
      currentCatalog = oldCatalog;
      currentSchema = oldSchema;
      throw e;
    }
  }

  /**
   * Moves the session to a catalog and schema the caller has just made sure exist (a commit's
   * catalog Tarn attached, a schema its views hold), without checking them on a connection: the
   * next connection the session leases is set to them. A session that keeps no connection between
   * statements would otherwise open one only to check, and another to run the statement.
   */
  public synchronized void moveTo(String catalog, String schema) {
    currentCatalog = catalog;
    currentSchema = schema;
  }

  /** Code that needs a connection of this session (in its current catalog and schema). */
  @FunctionalInterface
  public interface ConnectionFunction<T> {
    T apply(java.sql.Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on one of the session's connections, set to its current catalog and schema,
   * for Tarn's own multi-step statements (scratch tables, data file writes). DuckDB errors become
   * {@link EngineException}s.
   */
  public <T> T withConnection(ConnectionFunction<T> work) {
    return engine.deepStack().call(() -> withConnectionHere(work));
  }

  /**
   * Runs {@code work} on a new connection to the engine's inline database, which has no worker
   * threads and no catalog of the session: for Tarn's own statements of bounded work that name
   * nothing (writing a row of constants). DuckDB errors become {@link EngineException}s.
   */
  public <T> T withInlineConnection(ConnectionFunction<T> work) {
    return engine.deepStack().call(() -> {
      try (DuckDBConnection connection = engine.openInlineConnection()) {
        return work.apply(connection);
      } catch (SQLException e) {
        throw translate(e);
      }
    });
  }

  private <T> T withConnectionHere(ConnectionFunction<T> work) {
    DuckDBConnection connection = lease();
    try {
      return work.apply(connection);
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      unsettle(connection); // Tarn's own steps may have moved it (a scratch table's USE)
      release(connection);
    }
  }

  public String currentSchema() {
    return currentSchema;
  }

  /**
   * The catalog of the session's temporary tables and views, attached on first use. Its name is
   * internal: client texts name it only as Tarn rewrote them, and only this session's.
   */
  public synchronized String temporaryCatalog() {
    if (closed) {
      throw new EngineException(Reason.INVALID, "the session is closed; reconnect");
    }
    if (temporary == null) {
      temporary = TemporaryCatalog.attach(engine);
    }
    return temporary.name();
  }

  /** The catalog of the session's temporary objects, when it has made one. */
  public Optional<String> existingTemporaryCatalog() {
    TemporaryCatalog current = temporary;
    return current == null ? Optional.empty() : Optional.of(current.name());
  }

  /** DuckDB's error as clients get it, files named from the warehouse on (see {@link DuckDbErrors}). */
  private EngineException translate(SQLException e) {
    return DuckDbErrors.withoutFolder(DuckDbErrors.translate(e), engine.config().warehouse());
  }

  /**
   * How DuckDB's parser reads {@code sql}: the text is parsed, never run (see {@link EngineReading}).
   * Judge a text by this before preparing it: DuckDB's JDBC driver runs every statement but the
   * last of a text it prepares. On one of the engine's {@link DeepStackThreads}, since DuckDB's
   * parser recurses through the text's nesting.
   */
  public EngineReading read(String sql) {
    return engine.readings().read(sql, this::readHere);
  }

  private EngineReading readHere(String sql) {
    // DuckDB cannot interrupt its parser either: the caller stops waiting at the time limit.
    return engine.deepStack().call(() -> {
      try {
        return engine.readers().read(sql);
      } catch (SQLException e) {
        throw translate(e);
      }
    }, engine.config().queryTimeout(), () -> new EngineException(Reason.CANCELLED, "reading the statement took"
        + " longer than the server's query timeout of " + engine.config().queryTimeout().toSeconds()
        + " s (set by tarn serve --query-timeout) and was abandoned"));
  }

  /**
   * Validates a statement and tells what it returns, without running it; on one of the engine's
   * {@link DeepStackThreads}, since DuckDB prepares it.
   */
  public StatementDescription describe(String sql) {
    // DuckDB cannot interrupt a preparation: the caller stops waiting at the time limit instead.
    return engine.deepStack().call(() -> describeHere(sql), engine.config().queryTimeout(),
        () -> new EngineException(Reason.CANCELLED, "preparing the statement took longer than the server's query"
            + " timeout of " + engine.config().queryTimeout().toSeconds() + " s (set by tarn serve --query-timeout)"
            + " and was abandoned"));
  }

  private StatementDescription describeHere(String sql) {
    DuckDBConnection connection = lease();
    try {
      boolean returnsRows;
      List<Field> parameters = new ArrayList<>();
      try (PreparedStatement prepared = connection.prepareStatement(sql)) {
        DuckDBResultSetMetaData meta = (DuckDBResultSetMetaData) prepared.getMetaData();
        returnsRows = meta.getReturnType() == StatementReturnType.QUERY_RESULT;
        ParameterMetaData pm = prepared.getParameterMetaData();
        for (int i = 1; i <= pm.getParameterCount(); i++) {
          String type = pm.getParameterTypeName(i);
          if (ParameterTypes.isUnresolved(type)) {
            type = ParameterTypes.firstAccepted(connection, sql, i, pm.getParameterCount());
          }
          parameters.add(new Field("p" + i, FieldType.nullable(ParameterTypes.arrowTypeOf(type)), null));
        }
      }
      Schema resultSchema = returnsRows
          ? probeResultSchema(connection, sql, parameters.size())
          : new Schema(List.of());
      return new StatementDescription(returnsRows, resultSchema, new Schema(parameters));
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      release(connection);
    }
  }

  /**
   * The exact Arrow schema DuckDB will export: the query is wrapped in {@code LIMIT 0}, which
   * DuckDB's optimizer answers without reading data. Statements that cannot be wrapped (SHOW,
   * PRAGMA, DESCRIBE...) are cheap catalog reads: they run once and only their schema is kept.
   */
  private Schema probeResultSchema(DuckDBConnection connection, String sql, int parameterCount)
      throws SQLException {
    String body = stripTrailingSemicolons(sql);
    try {
      return exportSchema(connection, "SELECT * FROM (" + body + "\n) AS tarn_schema_probe LIMIT 0", parameterCount);
    } catch (SQLException notWrappable) {
      return exportSchema(connection, body, parameterCount);
    }
  }

  private Schema exportSchema(DuckDBConnection connection, String sql, int parameterCount) throws SQLException {
    List<Object> nulls = Collections.nCopies(parameterCount, null);
    try (Statement ps = EngineStatements.open(connection, sql, nulls)) {
      if (!EngineStatements.execute(ps, sql, nulls)) {
        throw new SQLException("the statement returns no result set"); // as executeQuery would refuse it
      }
      try (ResultSet rs = ps.getResultSet();
          BufferAllocator allocator = engine.probeAllocator();
          ArrowReader reader = (ArrowReader) ((DuckDBResultSet) rs).arrowExportStream(allocator, 1)) {
        Schema exported = reader.getVectorSchemaRoot().getSchema();
        DecodedDictionaries.refuseNested(exported);
        // results carry ENUM columns decoded and lost type names restored (Execution), so their description does too
        Schema decoded = DecodedDictionaries.anyIn(exported) ? DecodedDictionaries.decodedSchema(exported, reader) : exported;
        return ColumnTypeNames.annotate(decoded, rs.getMetaData());
      } catch (java.io.IOException e) {
        throw new SQLException(e.getMessage(), e);
      }
    }
  }

  private static String stripTrailingSemicolons(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  /** An execution of {@code sql} with these parameter values, not yet started; see {@link Execution#run}. */
  public Execution newExecution(String sql, List<Object> parameters, BufferAllocator allocator) {
    return new Execution(this, sql, Collections.unmodifiableList(new ArrayList<>(parameters)), allocator);
  }

  /**
   * Switches the session to another schema of the engine catalog. Tarn tracks the schema itself so
   * that every connection the session leases agrees.
   */
  public void useSchema(String schema) {
    DuckDBConnection connection = lease();
    try (Statement s = connection.createStatement()) {
      s.execute("USE " + quoteIdentifier(currentCatalog) + "." + quoteIdentifier(schema));
      currentSchema = schema;
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      unsettle(connection);
      release(connection);
    }
  }

  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  DuckDbEngine engine() {
    return engine;
  }

  synchronized DuckDBConnection lease() {
    if (closed) {
      throw new EngineException(Reason.INVALID, "the session is closed; reconnect");
    }
    DuckDBConnection connection = idle.pollFirst();
    try {
      if (connection == null) {
        connection = engine.newConnection();
      }
      String context = currentCatalog + "\u0000" + currentSchema + "\u0000"
          + (temporary == null ? "" : temporary.name());
      if (context.equals(settled.get(connection))) {
        return connection;
      }
      settled.remove(connection);
      try (Statement s = connection.createStatement()) {
        s.execute("USE " + quoteIdentifier(currentCatalog) + "." + quoteIdentifier(currentSchema));
        if (temporary != null) {
          // Unqualified names a statement leaves to DuckDB find the session's temporary objects after
          // the current schema (Tarn resolves the names it reads itself, temporary ones first).
          s.execute("SET search_path = '" + (quoteIdentifier(currentCatalog) + "." + quoteIdentifier(currentSchema)
              + "," + quoteIdentifier(temporary.name()) + ".main").replace("'", "''") + "'");
        }
      }
      settled.put(connection, context);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw translate(e);
    }
  }

  /**
   * Whether the session keeps one connection open between statements (so the next statement need
   * not open one). A session that serves a single call of a client keeping no session state retains
   * none, so it holds nothing once its statements end and needs no closing.
   */
  public synchronized void retainIdleConnection(boolean retain) {
    retainsIdleConnection = retain;
    if (!retain) {
      idle.forEach(EngineSession::closeQuietly);
      idle.forEach(settled::remove);
      idle.clear();
    }
  }

  /** Forgets what a connection was set to: the next lease sets it again. */
  private synchronized void unsettle(DuckDBConnection connection) {
    settled.remove(connection);
  }

  synchronized void release(DuckDBConnection connection) {
    // Keep one idle connection per session; close the extras.
    if (!closed && retainsIdleConnection && idle.isEmpty()) {
      idle.addFirst(connection);
    } else {
      settled.remove(connection);
      closeQuietly(connection);
      if (closed) {
        detachTemporaryCatalog(); // a result that outlived its session was still reading it
      }
    }
  }

  private static void closeQuietly(DuckDBConnection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing left to do for a connection we are discarding
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.forEach(EngineSession::closeQuietly);
    idle.clear();
    settled.clear();
    detachTemporaryCatalog();
  }

  private void detachTemporaryCatalog() {
    if (temporary != null && temporary.detach()) {
      temporary = null;
    }
  }
}
