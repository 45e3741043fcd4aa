package dev.tarn.executor;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Names, on the columns of a result, the SQL types DuckDB's Arrow export loses: a UUID leaves
 * DuckDB as text, so clients could not tell it from a VARCHAR. Such a column carries Flight SQL's
 * column metadata {@value #TYPE_NAME_KEY} (e.g. {@code UUID}), which JDBC drivers read as the
 * column's type name; the values stay as exported.
 */
public final class ColumnTypeNames {
  /** Flight SQL's column metadata key for the database's own type name. */
  public static final String TYPE_NAME_KEY = "ARROW:FLIGHT:SQL:TYPE_NAME";
  private static final Set<String> LOST_IN_EXPORT = Set.of("UUID");

  private ColumnTypeNames() {}

  /** {@code exported} with the type name on each top-level column whose type the export lost. */
  public static Schema annotate(Schema exported, ResultSetMetaData columns) throws SQLException {
    if (columns.getColumnCount() != exported.getFields().size()) {
      return exported;
    }
    List<Field> fields = new ArrayList<>(exported.getFields());
    boolean changed = false;
    for (int i = 0; i < fields.size(); i++) {
      String typeName = columns.getColumnTypeName(i + 1);
      if (typeName != null && LOST_IN_EXPORT.contains(typeName)) {
        Field field = fields.get(i);
        Map<String, String> metadata = new HashMap<>(field.getMetadata());
        metadata.put(TYPE_NAME_KEY, typeName);
        fields.set(i, new Field(field.getName(), new FieldType(field.isNullable(), field.getType(),
            field.getDictionary(), metadata), field.getChildren()));
        changed = true;
      }
    }
    return changed ? new Schema(fields, exported.getCustomMetadata()) : exported;
  }
}
