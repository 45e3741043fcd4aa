package dev.tarn.jdbc;

import java.sql.Struct;
import java.util.List;
import java.util.Map;

/** A STRUCT value: its fields in declared order, each as {@code getObject} would return it. */
final class TarnStruct implements Struct {
  private final String typeName;
  private final List<String> fieldNames;
  private final Object[] attributes;

  TarnStruct(String typeName, List<String> fieldNames, Object[] attributes) {
    this.typeName = typeName;
    this.fieldNames = fieldNames;
    this.attributes = attributes;
  }

  @Override
  public String getSQLTypeName() {
    return typeName;
  }

  @Override
  public Object[] getAttributes() {
    return attributes.clone();
  }

  @Override
  public Object[] getAttributes(Map<String, Class<?>> map) {
    return getAttributes();
  }

  /** As DuckDB prints a struct: {@code {'a': 1, 'b': x}}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("{");
    for (int i = 0; i < attributes.length; i++) {
      text.append(i == 0 ? "" : ", ").append('\'').append(fieldNames.get(i)).append("': ")
          .append(attributes[i] == null ? "NULL" : Conversions.text(attributes[i]));
    }
    return text.append('}').toString();
  }
}
