package dev.tarn.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** A result's columns as JDBC describes them, from the Arrow schema the server sent. */
final class TarnResultSetMetaData implements ResultSetMetaData, SelfWrapper {
  private final List<SqlType> types;
  private final List<String> names;
  private final List<Boolean> nullable;

  TarnResultSetMetaData(List<SqlType> types, List<String> names, List<Boolean> nullable) {
    this.types = List.copyOf(types);
    this.names = List.copyOf(names);
    this.nullable = List.copyOf(nullable);
  }

  private SqlType type(int column) throws SQLException {
    if (column < 1 || column > types.size()) {
      throw new SQLException("column index " + column + " is out of range: the result has " + types.size()
          + " columns", "07009");
    }
    return types.get(column - 1);
  }

  @Override
  public int getColumnCount() {
    return types.size();
  }

  @Override
  public boolean isAutoIncrement(int column) throws SQLException {
    type(column);
    return false;
  }

  @Override
  public boolean isCaseSensitive(int column) throws SQLException {
    return type(column).jdbcType() == Types.VARCHAR;
  }

  @Override
  public boolean isSearchable(int column) throws SQLException {
    int type = type(column).jdbcType();
    return type != Types.ARRAY && type != Types.STRUCT;
  }

  @Override
  public boolean isCurrency(int column) throws SQLException {
    type(column);
    return false;
  }

  @Override
  public int isNullable(int column) throws SQLException {
    type(column);
    return nullable.get(column - 1) ? columnNullable : columnNoNulls;
  }

  @Override
  public boolean isSigned(int column) throws SQLException {
    return type(column).signed();
  }

  @Override
  public int getColumnDisplaySize(int column) throws SQLException {
    return type(column).displaySize();
  }

  @Override
  public String getColumnLabel(int column) throws SQLException {
    return getColumnName(column);
  }

  @Override
  public String getColumnName(int column) throws SQLException {
    type(column);
    return names.get(column - 1);
  }

  /** Results carry no source table: the schema, table and catalog names are empty, as JDBC allows. */
  @Override
  public String getSchemaName(int column) throws SQLException {
    type(column);
    return "";
  }

  @Override
  public int getPrecision(int column) throws SQLException {
    return type(column).precision();
  }

  @Override
  public int getScale(int column) throws SQLException {
    return type(column).scale();
  }

  @Override
  public String getTableName(int column) throws SQLException {
    type(column);
    return "";
  }

  @Override
  public String getCatalogName(int column) throws SQLException {
    type(column);
    return "";
  }

  @Override
  public int getColumnType(int column) throws SQLException {
    return type(column).jdbcType();
  }

  @Override
  public String getColumnTypeName(int column) throws SQLException {
    return type(column).name();
  }

  @Override
  public boolean isReadOnly(int column) throws SQLException {
    type(column);
    return true;
  }

  @Override
  public boolean isWritable(int column) throws SQLException {
    type(column);
    return false;
  }

  @Override
  public boolean isDefinitelyWritable(int column) throws SQLException {
    type(column);
    return false;
  }

  @Override
  public String getColumnClassName(int column) throws SQLException {
    return type(column).className();
  }
}
