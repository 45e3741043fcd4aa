package dev.tarn.catalog.iceberg;

import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.InvalidChangeException;
import dev.tarn.catalog.TableId;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * A table's required (NOT NULL) columns hold no null in a file added to it. Tarn's own tables have
 * none, but one created by another engine through the REST catalog may: a write that leaves such a
 * column out, or puts a null in it, is refused before the commit, by the null counts every data file
 * Tarn writes carries.
 */
public final class RequiredFields {
  private RequiredFields() {}

  /**
   * @throws InvalidChangeException naming the column and the table when {@code file} holds a null
   *     in a column that must have a value
   */
  public static void check(TableId table, Schema schema, DataFileSpec file) {
    check(table, schema.columns(), "", file);
  }

  // Fields under a list or a map are left alone: their null counts are of the values, not of rows,
  // and an optional struct's required fields are null wherever the struct is.
  private static void check(TableId table, List<Types.NestedField> fields, String parent, DataFileSpec file) {
    for (Types.NestedField field : fields) {
      if (!field.isRequired()) {
        continue;
      }
      String name = parent + field.name();
      if (field.type().isStructType()) {
        check(table, field.type().asStructType().fields(), name + ".", file);
        continue;
      }
      Long nulls = file.nullCounts().get(field.fieldId());
      if (nulls != null && nulls > 0) {
        throw new InvalidChangeException("column " + name + " of " + table + " is required (NOT NULL), and the"
            + " statement would write " + nulls + (nulls == 1 ? " row" : " rows") + " without a value there;"
            + " nothing was written");
      }
    }
  }
}
