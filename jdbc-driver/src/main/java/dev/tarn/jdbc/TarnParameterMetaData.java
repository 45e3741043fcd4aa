package dev.tarn.jdbc;

import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** A prepared statement's parameters as the server described them (its parameter schema). */
final class TarnParameterMetaData implements ParameterMetaData, SelfWrapper {
  private final List<Field> fields;

  TarnParameterMetaData(Schema schema) {
    this.fields = schema == null ? List.of() : schema.getFields();
  }

  private SqlType type(int parameter) throws SQLException {
    if (parameter < 1 || parameter > fields.size()) {
      throw new SQLException("parameter index " + parameter + " is out of range: the statement has "
          + fields.size() + " parameters", "07009");
    }
    return SqlType.of(fields.get(parameter - 1));
  }

  @Override
  public int getParameterCount() {
    return fields.size();
  }

  @Override
  public int isNullable(int parameter) throws SQLException {
    type(parameter);
    return parameterNullable;
  }

  @Override
  public boolean isSigned(int parameter) throws SQLException {
    return type(parameter).signed();
  }

  @Override
  public int getPrecision(int parameter) throws SQLException {
    return type(parameter).precision();
  }

  @Override
  public int getScale(int parameter) throws SQLException {
    return type(parameter).scale();
  }

  @Override
  public int getParameterType(int parameter) throws SQLException {
    return type(parameter).jdbcType();
  }

  @Override
  public String getParameterTypeName(int parameter) throws SQLException {
    return type(parameter).name();
  }

  @Override
  public String getParameterClassName(int parameter) throws SQLException {
    return type(parameter).className();
  }

  @Override
  public int getParameterMode(int parameter) throws SQLException {
    type(parameter);
    return parameterModeIn;
  }
}
