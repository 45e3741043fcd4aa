package dev.tarn.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A forward-only result over Arrow batches. Only one batch is held at a time, so a result of any
 * size streams in bounded memory; the server sends batches as the client reads them.
 */
final class TarnResultSet extends ReadOnlyResultSet implements SelfWrapper {
  private final Statement statement;
  private final Batches batches;
  private final List<ColumnReader> columns = new ArrayList<>();
  private final Map<String, Integer> columnsByName = new HashMap<>();
  private final TarnResultSetMetaData metaData;
  private int rowInBatch = -1;
  private int rowsInBatch;
  private long rowNumber;
  private boolean ended;
  private boolean closed;
  private boolean wasNull;
  private int fetchSize;
  private long maxRows;

  TarnResultSet(Statement statement, Batches batches) {
    this.statement = statement;
    this.batches = batches;
    VectorSchemaRoot root = batches.root();
    for (FieldVector vector : root.getFieldVectors()) {
      ColumnReader reader = ColumnReaders.forVector(vector, batches.dictionaries());
      columns.add(reader);
      columnsByName.putIfAbsent(reader.name().toLowerCase(Locale.ROOT), columns.size());
    }
    List<Boolean> nullable = root.getSchema().getFields().stream().map(f -> f.isNullable()).toList();
    this.metaData = new TarnResultSetMetaData(columns.stream().map(ColumnReader::type).toList(),
        columns.stream().map(ColumnReader::name).toList(), nullable);
  }

  @Override
  public boolean next() throws SQLException {
    open();
    if (ended) {
      return false;
    }
    if (maxRows > 0 && rowNumber >= maxRows) {
      ended = true; // Statement.setMaxRows: the rows past the limit are dropped
      rowInBatch = -1;
      return false;
    }
    while (rowInBatch + 1 >= rowsInBatch) {
      if (!batches.next()) {
        ended = true;
        rowInBatch = -1;
        rowsInBatch = 0;
        return false;
      }
      rowInBatch = -1;
      rowsInBatch = batches.root().getRowCount();
    }
    rowInBatch++;
    rowNumber++;
    return true;
  }

  /** Loads the first batch, so a failing statement fails in execute, not in the first next(). */
  void prefetch() throws SQLException {
    if (batches.next()) {
      rowsInBatch = batches.root().getRowCount();
    } else {
      ended = true;
    }
  }

  /** Statement.setMaxRows: at most this many rows (0: all). */
  void limitRows(long rows) {
    maxRows = rows;
  }

  /** Stops the transfer from another thread (Statement.cancel). */
  void cancel() {
    batches.cancel();
  }

  @Override
  public void close() throws SQLException {
    if (!closed) {
      closed = true;
      batches.close();
      if (statement instanceof TarnStatement owner) {
        owner.resultClosed(this);
      }
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  private void open() throws SQLException {
    if (closed) {
      throw new SQLException("this ResultSet is closed", "24000");
    }
  }

  private ColumnReader column(int index) throws SQLException {
    open();
    if (index < 1 || index > columns.size()) {
      throw new SQLException("column index " + index + " is out of range: the result has " + columns.size()
          + " columns", "07009");
    }
    if (rowInBatch < 0) {
      throw new SQLException(ended ? "the result has no more rows" : "call next() before reading a row", "24000");
    }
    return columns.get(index - 1);
  }

  private Object value(int index) throws SQLException {
    Object value = column(index).object(rowInBatch);
    wasNull = value == null;
    return value;
  }

  @Override
  public boolean wasNull() {
    return wasNull;
  }

  @Override
  public int findColumn(String label) throws SQLException {
    open();
    Integer index = columnsByName.get(label.toLowerCase(Locale.ROOT));
    if (index == null) {
      throw new SQLException("no column named " + label + " in this result; its columns are "
          + columns.stream().map(ColumnReader::name).toList(), "42S22");
    }
    return index;
  }

  @Override
  public String getString(int index) throws SQLException {
    String text = column(index).string(rowInBatch);
    wasNull = text == null;
    return text;
  }

  @Override
  public boolean getBoolean(int index) throws SQLException {
    Object value = value(index);
    return value != null && Conversions.bool(column(index), value);
  }

  private long integral(int index, long min, long max, String target) throws SQLException {
    ColumnReader column = column(index);
    // numbers are read without boxing: a loop over many rows spends most of its time here
    if (column.holdsLongs()) {
      return nullAt(column) ? 0 : Conversions.integral(column, column.longValue(rowInBatch), min, max, target);
    }
    if (column.holdsDoubles()) {
      return nullAt(column) ? 0 : Conversions.integral(column, column.doubleValue(rowInBatch), min, max, target);
    }
    Object value = value(index);
    return value == null ? 0 : Conversions.integral(column, value, min, max, target);
  }

  /** Whether the current row's value of {@code column} is null, remembered for {@link #wasNull()}. */
  private boolean nullAt(ColumnReader column) {
    wasNull = column.isNull(rowInBatch);
    return wasNull;
  }

  @Override
  public byte getByte(int index) throws SQLException {
    return (byte) integral(index, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
  }

  @Override
  public short getShort(int index) throws SQLException {
    return (short) integral(index, Short.MIN_VALUE, Short.MAX_VALUE, "short");
  }

  @Override
  public int getInt(int index) throws SQLException {
    return (int) integral(index, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
  }

  @Override
  public long getLong(int index) throws SQLException {
    return integral(index, Long.MIN_VALUE, Long.MAX_VALUE, "long");
  }

  @Override
  public float getFloat(int index) throws SQLException {
    ColumnReader column = column(index);
    if (column.holdsLongs()) {
      // a long straight to float, as Long.floatValue() rounds it (through double it could round twice)
      return nullAt(column) ? 0 : (float) column.longValue(rowInBatch);
    }
    if (column.holdsDoubles()) {
      return nullAt(column) ? 0 : (float) column.doubleValue(rowInBatch);
    }
    Object value = value(index);
    return value == null ? 0 : Conversions.number(column, value, "float").floatValue();
  }

  @Override
  public double getDouble(int index) throws SQLException {
    ColumnReader column = column(index);
    if (column.holdsLongs()) {
      return nullAt(column) ? 0 : column.longValue(rowInBatch);
    }
    if (column.holdsDoubles()) {
      return nullAt(column) ? 0 : column.doubleValue(rowInBatch);
    }
    Object value = value(index);
    return value == null ? 0 : Conversions.number(column, value, "double").doubleValue();
  }

  @Override
  public BigDecimal getBigDecimal(int index) throws SQLException {
    Object value = value(index);
    return value == null ? null
        : Conversions.decimal(column(index), Conversions.number(column(index), value, "BigDecimal"), "BigDecimal");
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int index, int scale) throws SQLException {
    BigDecimal value = getBigDecimal(index);
    return value == null ? null : value.setScale(scale, RoundingMode.HALF_UP);
  }

  @Override
  public byte[] getBytes(int index) throws SQLException {
    Object value = value(index);
    return value == null ? null : Conversions.bytes(column(index), value);
  }

  @Override
  public Date getDate(int index) throws SQLException {
    return getDate(index, (Calendar) null);
  }

  @Override
  public Date getDate(int index, Calendar calendar) throws SQLException {
    Object value = value(index);
    return value == null ? null : Conversions.date(column(index), value, calendar);
  }

  @Override
  public Time getTime(int index) throws SQLException {
    return getTime(index, (Calendar) null);
  }

  @Override
  public Time getTime(int index, Calendar calendar) throws SQLException {
    Object value = value(index);
    return value == null ? null : Conversions.time(column(index), value, calendar);
  }

  @Override
  public Timestamp getTimestamp(int index) throws SQLException {
    return getTimestamp(index, (Calendar) null);
  }

  @Override
  public Timestamp getTimestamp(int index, Calendar calendar) throws SQLException {
    Object value = value(index);
    return value == null ? null : Conversions.timestamp(column(index), value, calendar);
  }

  @Override
  public InputStream getAsciiStream(int index) throws SQLException {
    String text = getString(index);
    return text == null ? null : new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public InputStream getBinaryStream(int index) throws SQLException {
    byte[] bytes = getBytes(index);
    return bytes == null ? null : new ByteArrayInputStream(bytes);
  }

  @Override
  public Reader getCharacterStream(int index) throws SQLException {
    String text = getString(index);
    return text == null ? null : new StringReader(text);
  }

  @Override
  public Reader getNCharacterStream(int index) throws SQLException {
    return getCharacterStream(index);
  }

  @Override
  public String getNString(int index) throws SQLException {
    return getString(index);
  }

  @Override
  public Object getObject(int index) throws SQLException {
    return value(index);
  }

  @Override
  public Object getObject(int index, Map<String, Class<?>> map) throws SQLException {
    return getObject(index);
  }

  @Override
  public <T> T getObject(int index, Class<T> type) throws SQLException {
    if (type == null) {
      throw new SQLException("getObject needs a target class", "HY009");
    }
    return Conversions.as(column(index), value(index), type);
  }

  @Override
  public Array getArray(int index) throws SQLException {
    Object value = value(index);
    if (value == null || value instanceof Array) {
      return (Array) value;
    }
    throw Conversions.cannot(column(index), value, "ARRAY");
  }

  // ---- by label ---------------------------------------------------------------------------

  @Override
  public String getString(String label) throws SQLException {
    return getString(findColumn(label));
  }

  @Override
  public boolean getBoolean(String label) throws SQLException {
    return getBoolean(findColumn(label));
  }

  @Override
  public byte getByte(String label) throws SQLException {
    return getByte(findColumn(label));
  }

  @Override
  public short getShort(String label) throws SQLException {
    return getShort(findColumn(label));
  }

  @Override
  public int getInt(String label) throws SQLException {
    return getInt(findColumn(label));
  }

  @Override
  public long getLong(String label) throws SQLException {
    return getLong(findColumn(label));
  }

  @Override
  public float getFloat(String label) throws SQLException {
    return getFloat(findColumn(label));
  }

  @Override
  public double getDouble(String label) throws SQLException {
    return getDouble(findColumn(label));
  }

  @Override
  public BigDecimal getBigDecimal(String label) throws SQLException {
    return getBigDecimal(findColumn(label));
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
    return getBigDecimal(findColumn(label), scale);
  }

  @Override
  public byte[] getBytes(String label) throws SQLException {
    return getBytes(findColumn(label));
  }

  @Override
  public Date getDate(String label) throws SQLException {
    return getDate(findColumn(label));
  }

  @Override
  public Date getDate(String label, Calendar calendar) throws SQLException {
    return getDate(findColumn(label), calendar);
  }

  @Override
  public Time getTime(String label) throws SQLException {
    return getTime(findColumn(label));
  }

  @Override
  public Time getTime(String label, Calendar calendar) throws SQLException {
    return getTime(findColumn(label), calendar);
  }

  @Override
  public Timestamp getTimestamp(String label) throws SQLException {
    return getTimestamp(findColumn(label));
  }

  @Override
  public Timestamp getTimestamp(String label, Calendar calendar) throws SQLException {
    return getTimestamp(findColumn(label), calendar);
  }

  @Override
  public InputStream getAsciiStream(String label) throws SQLException {
    return getAsciiStream(findColumn(label));
  }

  @Override
  public InputStream getBinaryStream(String label) throws SQLException {
    return getBinaryStream(findColumn(label));
  }

  @Override
  public Reader getCharacterStream(String label) throws SQLException {
    return getCharacterStream(findColumn(label));
  }

  @Override
  public Reader getNCharacterStream(String label) throws SQLException {
    return getNCharacterStream(findColumn(label));
  }

  @Override
  public String getNString(String label) throws SQLException {
    return getNString(findColumn(label));
  }

  @Override
  public Object getObject(String label) throws SQLException {
    return getObject(findColumn(label));
  }

  @Override
  public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
    return getObject(findColumn(label));
  }

  @Override
  public <T> T getObject(String label, Class<T> type) throws SQLException {
    return getObject(findColumn(label), type);
  }

  @Override
  public Array getArray(String label) throws SQLException {
    return getArray(findColumn(label));
  }

  // ---- the result as a whole --------------------------------------------------------------

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    open();
    return metaData;
  }

  @Override
  public Statement getStatement() {
    return statement;
  }

  @Override
  public SQLWarning getWarnings() {
    return null;
  }

  @Override
  public void clearWarnings() {
    // no warnings are kept
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    open();
    return rowNumber == 0 && !ended;
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    open();
    return ended && rowNumber > 0;
  }

  @Override
  public boolean isFirst() throws SQLException {
    open();
    return rowNumber == 1 && !ended;
  }

  @Override
  public int getRow() throws SQLException {
    open();
    return ended ? 0 : (int) Math.min(rowNumber, Integer.MAX_VALUE);
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    if (direction != FETCH_FORWARD) {
      throw unsupported("fetch directions other than FETCH_FORWARD");
    }
  }

  @Override
  public int getFetchDirection() {
    return FETCH_FORWARD;
  }

  /** A hint only: the server sizes its batches, and the driver holds one batch at a time. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    if (rows < 0) {
      throw new SQLException("fetch size must not be negative: " + rows, "HY024");
    }
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() {
    return fetchSize;
  }

  @Override
  public int getType() {
    return TYPE_FORWARD_ONLY;
  }

  @Override
  public int getConcurrency() {
    return CONCUR_READ_ONLY;
  }

  @Override
  public int getHoldability() {
    return CLOSE_CURSORS_AT_COMMIT;
  }
}
