package dev.tarn.catalog.iceberg;

import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.InvalidChangeException;
import dev.tarn.catalog.TableId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * A write puts no null in a table's required (NOT NULL) columns. Tarn's own tables have none, but
 * one created by another engine through the REST catalog may: a write that leaves such a column
 * out, or puts a null in it, is refused before the commit, by the null counts of the data files it
 * adds. A rewrite (UPDATE, MERGE, OPTIMIZE) may carry the nulls its removed files already held, put
 * there by another engine or before this check: it may not add more.
 *
 * <p>Only columns whose null counts Tarn's files record are checked: primitive columns, at the top
 * level or in required structs. A required list, map or struct of optional fields has no count of
 * its own, and is not checked.
 */
public final class RequiredFields {
  private RequiredFields() {}

  /**
   * @param removed the files the write replaces, none for an append; planned with their column stats
   * @throws InvalidChangeException naming the column and the table when {@code added} hold more nulls
   *     in a column that must have a value than {@code removed} did
   */
  public static void check(TableId table, Schema schema, List<DataFileSpec> added, List<DataFile> removed) {
    Map<Integer, String> required = new HashMap<>();
    collect(schema.columns(), "", required);
    for (Map.Entry<Integer, String> column : required.entrySet()) {
      int id = column.getKey();
      long nulls = added.stream().mapToLong(f -> f.nullCounts().getOrDefault(id, 0L)).sum();
      long before = removed.stream().mapToLong(f -> nullsIn(f, id)).sum();
      if (nulls > before) {
        long more = nulls - before;
        throw new InvalidChangeException("column " + column.getValue() + " of " + table + " is required (NOT NULL),"
            + " and the statement would write " + more + (before > 0 ? " more" : "") + (more == 1 ? " row" : " rows")
            + " without a value there; nothing was written");
      }
    }
  }

  /** Whether {@code schema} has a column {@link #check} checks. */
  public static boolean any(Schema schema) {
    Map<Integer, String> required = new HashMap<>();
    collect(schema.columns(), "", required);
    return !required.isEmpty();
  }

  private static long nullsIn(DataFile file, int id) {
    Map<Integer, Long> counts = file.nullValueCounts();
    Long n = counts == null ? null : counts.get(id);
    return n == null ? 0 : n;
  }

  // Fields under a list or a map are left alone: their null counts are of the values, not of rows,
  // and an optional struct's required fields are null wherever the struct is.
  private static void collect(List<Types.NestedField> fields, String parent, Map<Integer, String> out) {
    for (Types.NestedField field : fields) {
      if (!field.isRequired()) {
        continue;
      }
      String name = parent + field.name();
      if (field.type().isStructType()) {
        collect(field.type().asStructType().fields(), name + ".", out);
      } else if (field.type().isPrimitiveType()) {
        out.put(field.fieldId(), name);
      }
    }
  }
}
