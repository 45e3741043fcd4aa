package dev.tarn.executor.pipeline;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The columns of a table a declared input's filter mentions. A scan must read them even when the
 * input's {@code columns} leave them out ({@code columns=["id"], filter="eventTime > ..."}), since
 * DuckDB evaluates the filter on the scanned rows. The front end reads the filter's names; every
 * one that names a column (DuckDB compares names case-insensitively) counts. When the front end
 * cannot read the filter, every column is read: reading too many columns only costs time.
 */
final class FilterColumns {
  private FilterColumns() {}

  /** The table's names of the columns {@code filter} mentions, in the table's column order. */
  static Set<String> referenced(SqlInspector sql, String filter, Schema schema) {
    Optional<Set<String>> names = sql.namesIn(filter);
    Set<String> mentioned = names.map(n -> n.stream().map(name -> name.toLowerCase(Locale.ROOT))
        .collect(Collectors.toSet())).orElse(null);
    Set<String> columns = new LinkedHashSet<>();
    for (Types.NestedField f : schema.columns()) {
      if (mentioned == null || mentioned.contains(f.name().toLowerCase(Locale.ROOT))) {
        columns.add(f.name());
      }
    }
    return columns;
  }
}
