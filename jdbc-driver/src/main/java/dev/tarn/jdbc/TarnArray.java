package dev.tarn.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Map;

/** A LIST value: its elements already read, as {@code getObject} would return each of them. */
final class TarnArray implements Array {
  private final SqlType elementType;
  private Object[] elements;

  TarnArray(SqlType elementType, Object[] elements) {
    this.elementType = elementType;
    this.elements = elements;
  }

  @Override
  public String getBaseTypeName() {
    return elementType.name();
  }

  @Override
  public int getBaseType() {
    return elementType.jdbcType();
  }

  @Override
  public Object getArray() throws SQLException {
    return Arrays.copyOf(open(), elements.length);
  }

  @Override
  public Object getArray(Map<String, Class<?>> map) throws SQLException {
    return getArray();
  }

  /** Elements from the 1-based {@code index}, at most {@code count} of them. */
  @Override
  public Object getArray(long index, int count) throws SQLException {
    Object[] all = open();
    if (index < 1 || count < 0 || index - 1 > all.length) {
      throw new SQLException("array slice from " + index + " of " + count + " elements is outside its "
          + all.length + " elements", "2202E");
    }
    int from = (int) (index - 1);
    return Arrays.copyOfRange(all, from, Math.min(all.length, from + count));
  }

  @Override
  public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
    return getArray(index, count);
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    throw new SQLFeatureNotSupportedException("Array.getResultSet is not supported; use getArray()", "0A000");
  }

  @Override
  public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
    return getResultSet();
  }

  @Override
  public ResultSet getResultSet(long index, int count) throws SQLException {
    return getResultSet();
  }

  @Override
  public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
    return getResultSet();
  }

  @Override
  public void free() {
    elements = null;
  }

  private Object[] open() throws SQLException {
    if (elements == null) {
      throw new SQLException("this Array was freed", "HY010");
    }
    return elements;
  }

  /** As DuckDB prints a list: {@code [1, 2, NULL]}. */
  @Override
  public String toString() {
    if (elements == null) {
      return "(freed)";
    }
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < elements.length; i++) {
      text.append(i == 0 ? "" : ", ").append(elements[i] == null ? "NULL" : Conversions.text(elements[i]));
    }
    return text.append(']').toString();
  }
}
