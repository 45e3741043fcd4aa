package dev.tarn.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Calendar;
import java.util.List;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A statement the server prepared once: {@code ?} values go to the server as an Arrow batch (a
 * JDBC batch is one batch of many rows), and the result streams like any query's.
 */
final class TarnPreparedStatement extends TarnStatement implements PreparedStatement {
  private final FlightSqlClient.PreparedStatement prepared;
  private final ParameterRows parameters;

  private TarnPreparedStatement(TarnConnection connection, FlightSqlClient.PreparedStatement prepared) {
    super(connection);
    this.prepared = prepared;
    Schema parameterSchema = prepared.getParameterSchema();
    this.parameters = new ParameterRows(parameterSchema == null ? 0 : parameterSchema.getFields().size());
  }

  static TarnPreparedStatement prepare(TarnConnection connection, String sql) throws SQLException {
    ServerLink link = connection.link();
    try {
      return new TarnPreparedStatement(connection, link.sql().prepare(requireSql(sql), connection.transaction(),
          link.options()));
    } catch (FlightRuntimeException e) {
      throw link.errors().translate(e);
    }
  }

  private boolean returnsRows() {
    Schema schema = prepared.getResultSetSchema();
    return schema != null && !schema.getFields().isEmpty();
  }

  /** Sends these rows of values with the next execution. */
  private VectorSchemaRoot bind(List<Object[]> rows) throws SQLException {
    if (parameters.count() == 0) {
      return null;
    }
    VectorSchemaRoot root = ParameterRows.toArrow(rows, parameters.count(), link.allocator());
    prepared.setParameters(root);
    return root;
  }

  private void unbind(VectorSchemaRoot root) {
    if (root != null) {
      prepared.clearParameters();
      root.close();
    }
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    startExecution();
    VectorSchemaRoot root = bind(parameters.currentRow());
    FlightInfo info;
    try {
      info = prepared.execute(link.options(timeout()));
    } catch (FlightRuntimeException e) {
      throw translate(e);
    } finally {
      unbind(root);
    }
    return openResult(info);
  }

  @Override
  public int executeUpdate() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate());
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    startExecution();
    return update(parameters.count() == 0 ? List.of() : parameters.currentRow());
  }

  private long update(List<Object[]> rows) throws SQLException {
    VectorSchemaRoot root = bind(rows);
    try {
      return prepared.executeUpdate(link.options(timeout()));
    } catch (FlightRuntimeException e) {
      throw translate(e);
    } finally {
      unbind(root);
    }
  }

  @Override
  public boolean execute() throws SQLException {
    if (returnsRows()) {
      executeQuery();
      return true;
    }
    long count = executeLargeUpdate();
    recordUpdateCount(count);
    return false;
  }

  @Override
  public void addBatch() throws SQLException {
    checkOpen();
    parameters.addRow();
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    parameters.takeRows();
  }

  /** The whole batch goes as one Arrow batch; the server reports the total, not a count per row. */
  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<Object[]> rows = parameters.takeRows();
    if (rows.isEmpty()) {
      return new long[0];
    }
    startExecution();
    update(rows);
    long[] counts = new long[rows.size()];
    java.util.Arrays.fill(counts, SUCCESS_NO_INFO);
    return counts;
  }

  @Override
  public int[] executeBatch() throws SQLException {
    long[] counts = executeLargeBatch();
    int[] result = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      result[i] = (int) counts[i];
    }
    return result;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    Schema schema = prepared.getResultSetSchema();
    if (schema == null || schema.getFields().isEmpty()) {
      return null;
    }
    return new TarnResultSetMetaData(schema.getFields().stream().map(SqlType::of).toList(),
        schema.getFields().stream().map(Field::getName).toList(),
        schema.getFields().stream().map(Field::isNullable).toList());
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    checkOpen();
    return new TarnParameterMetaData(prepared.getParameterSchema());
  }

  @Override
  public void clearParameters() throws SQLException {
    checkOpen();
    parameters.clear();
  }

  @Override
  public void close() throws SQLException {
    if (isClosed()) {
      return;
    }
    super.close();
    try {
      prepared.close(link.options(10));
    } catch (RuntimeException e) {
      // the server drops an unused prepared statement after an hour on its own
    }
  }

  // ---- what SQL text cannot be given to a prepared statement -------------------------------

  private static SQLException textNotAllowed() {
    return new SQLException("a PreparedStatement runs the SQL it was prepared with; use a Statement for other"
        + " SQL text", "HY000");
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw textNotAllowed();
  }

  // ---- setters ------------------------------------------------------------------------------

  private void set(int index, Object value) throws SQLException {
    checkOpen();
    parameters.set(index, value);
  }

  @Override
  public void setNull(int index, int sqlType) throws SQLException {
    set(index, null);
  }

  @Override
  public void setNull(int index, int sqlType, String typeName) throws SQLException {
    set(index, null);
  }

  @Override
  public void setBoolean(int index, boolean value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setByte(int index, byte value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setShort(int index, short value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setInt(int index, int value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setLong(int index, long value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setFloat(int index, float value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setDouble(int index, double value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setBigDecimal(int index, BigDecimal value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setString(int index, String value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setNString(int index, String value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setBytes(int index, byte[] value) throws SQLException {
    set(index, value == null ? null : value.clone());
  }

  @Override
  public void setDate(int index, Date value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setDate(int index, Date value, Calendar calendar) throws SQLException {
    set(index, value == null || calendar == null ? value
        : value.toInstant().atZone(calendar.getTimeZone().toZoneId()).toLocalDate());
  }

  @Override
  public void setTime(int index, Time value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setTime(int index, Time value, Calendar calendar) throws SQLException {
    set(index, value == null || calendar == null ? value
        : java.time.Instant.ofEpochMilli(value.getTime()).atZone(calendar.getTimeZone().toZoneId()).toLocalTime());
  }

  @Override
  public void setTimestamp(int index, Timestamp value) throws SQLException {
    set(index, value);
  }

  /** The wall-clock reading of the instant in the Calendar's zone, as a TIMESTAMP. */
  @Override
  public void setTimestamp(int index, Timestamp value, Calendar calendar) throws SQLException {
    set(index, value == null || calendar == null ? value
        : LocalDateTime.ofInstant(value.toInstant(), calendar.getTimeZone().toZoneId()));
  }

  @Override
  public void setObject(int index, Object value) throws SQLException {
    set(index, value);
  }

  @Override
  public void setObject(int index, Object value, int targetSqlType) throws SQLException {
    set(index, value);
  }

  @Override
  public void setObject(int index, Object value, int targetSqlType, int scaleOrLength) throws SQLException {
    set(index, value);
  }

  @Override
  public void setAsciiStream(int index, InputStream stream, int length) throws SQLException {
    setAsciiStream(index, stream);
  }

  @Override
  public void setAsciiStream(int index, InputStream stream, long length) throws SQLException {
    setAsciiStream(index, stream);
  }

  @Override
  public void setAsciiStream(int index, InputStream stream) throws SQLException {
    byte[] bytes = readAll(stream);
    set(index, bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  @Deprecated
  public void setUnicodeStream(int index, InputStream stream, int length) throws SQLException {
    byte[] bytes = readAll(stream);
    set(index, bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_16BE));
  }

  @Override
  public void setBinaryStream(int index, InputStream stream, int length) throws SQLException {
    setBinaryStream(index, stream);
  }

  @Override
  public void setBinaryStream(int index, InputStream stream, long length) throws SQLException {
    setBinaryStream(index, stream);
  }

  @Override
  public void setBinaryStream(int index, InputStream stream) throws SQLException {
    set(index, readAll(stream));
  }

  @Override
  public void setCharacterStream(int index, Reader reader, int length) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setCharacterStream(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setCharacterStream(int index, Reader reader) throws SQLException {
    set(index, readAll(reader));
  }

  @Override
  public void setNCharacterStream(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setNCharacterStream(int index, Reader reader) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setClob(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setClob(int index, Reader reader) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setNClob(int index, Reader reader, long length) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setNClob(int index, Reader reader) throws SQLException {
    setCharacterStream(index, reader);
  }

  @Override
  public void setBlob(int index, InputStream stream, long length) throws SQLException {
    setBinaryStream(index, stream);
  }

  @Override
  public void setBlob(int index, InputStream stream) throws SQLException {
    setBinaryStream(index, stream);
  }

  @Override
  public void setClob(int index, Clob value) throws SQLException {
    set(index, value == null ? null : value.getSubString(1, (int) value.length()));
  }

  @Override
  public void setNClob(int index, NClob value) throws SQLException {
    setClob(index, value);
  }

  @Override
  public void setBlob(int index, Blob value) throws SQLException {
    set(index, value == null ? null : value.getBytes(1, (int) value.length()));
  }

  @Override
  public void setArray(int index, Array value) throws SQLException {
    throw new SQLFeatureNotSupportedException("binding an ARRAY parameter is not supported", "0A000");
  }

  @Override
  public void setRef(int index, Ref value) throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no REF type", "0A000");
  }

  @Override
  public void setRowId(int index, RowId value) throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no ROWID type", "0A000");
  }

  @Override
  public void setSQLXML(int index, SQLXML value) throws SQLException {
    throw new SQLFeatureNotSupportedException("Tarn has no XML type", "0A000");
  }

  @Override
  public void setURL(int index, URL value) throws SQLException {
    set(index, value == null ? null : value.toString());
  }

  private static byte[] readAll(InputStream stream) throws SQLException {
    if (stream == null) {
      return null;
    }
    try (stream) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stream.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new SQLException("reading the parameter's stream failed: " + e.getMessage(), "HY000", e);
    }
  }

  private static String readAll(Reader reader) throws SQLException {
    if (reader == null) {
      return null;
    }
    try (reader) {
      StringWriter out = new StringWriter();
      reader.transferTo(out);
      return out.toString();
    } catch (IOException e) {
      throw new SQLException("reading the parameter's characters failed: " + e.getMessage(), "HY000", e);
    }
  }
}
