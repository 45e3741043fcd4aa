package dev.tarn.executor.pipeline;

import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.lakehouse.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The private in-memory DuckDB database of one run, attached to the engine as {@code
 * tarn_run_<id>} for the run's duration and detached (freeing every table in it) on {@link
 * #close()}. Every step's output is one relation in its {@code main} schema, named by the step's
 * id: scans are views over the table's data files, models are tables.
 *
 * <p>Steps run concurrently, each on a connection of its own ({@link #connect()}): a DuckDB
 * connection runs one statement at a time, while the attached database is shared by all.
 */
final class RunDatabase implements AutoCloseable {
  private final DuckDbEngine engine;
  private final String name;
  private final Connection control;
  private final BufferAllocator allocator;
  private boolean closed;

  private RunDatabase(DuckDbEngine engine, String name, Connection control) {
    this.engine = engine;
    this.name = name;
    this.control = control;
    this.allocator = new RootAllocator();
  }

  /** Attaches {@code tarn_run_<runId>}. */
  static RunDatabase attach(DuckDbEngine engine, String runId) {
    String name = "tarn_run_" + runId;
    Connection control = engine.openInternalConnection();
    try (Statement s = control.createStatement()) {
      s.execute("ATTACH ':memory:' AS " + Sql.ident(name));
    } catch (SQLException e) {
      closeQuietly(control);
      throw new EngineException(Reason.INVALID, "cannot create the run's database " + name + ": " + e.getMessage(), e);
    }
    return new RunDatabase(engine, name, control);
  }

  /** The attached catalog's name (unquoted). */
  String name() {
    return name;
  }

  /** The quoted name of a step's output relation. */
  String relation(String stepId) {
    return Sql.qualified(name, "main", stepId);
  }

  /** A new engine-internal connection; the caller closes it. */
  Connection connect() {
    return engine.openInternalConnection();
  }

  /** Where Arrow data moving between DuckDB and model processes is allocated. */
  BufferAllocator allocator() {
    return allocator;
  }

  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  static long count(Connection connection, String relation) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + relation)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement s = control.createStatement()) {
      s.execute("DETACH DATABASE IF EXISTS " + Sql.ident(name));
    } catch (SQLException e) {
      throw new EngineException(Reason.INVALID, "cannot detach the run's database " + name + ": " + e.getMessage(), e);
    } finally {
      closeQuietly(control);
      allocator.close();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to release
    }
  }
}
