package dev.tarn.executor.pipeline;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The columns of a table a declared input's filter mentions. A scan must read them even when the
 * input's {@code columns} leave them out ({@code columns=["id"], filter="eventTime > ..."}), since
 * DuckDB evaluates the filter on the scanned rows. Every identifier outside string literals and
 * comments that names a column (DuckDB compares names case-insensitively) counts; a function that
 * happens to share a column's name only costs reading that column.
 */
final class FilterColumns {
  private FilterColumns() {}

  /** The table's names of the columns {@code filter} mentions, in the table's column order. */
  static Set<String> referenced(String filter, Schema schema) {
    Set<String> words = new LinkedHashSet<>();
    int n = filter.length();
    int i = 0;
    while (i < n) {
      char c = filter.charAt(i);
      if (c == '\'') {
        i = SqlText.afterQuoted(filter, i, '\'');
      } else if (c == '"') {
        int end = SqlText.afterQuoted(filter, i, '"');
        words.add(filter.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"").toLowerCase(Locale.ROOT));
        i = end;
      } else if (c == '-' && i + 1 < n && filter.charAt(i + 1) == '-') {
        int end = filter.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && filter.charAt(i + 1) == '*') {
        int end = filter.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(filter.charAt(i)) || filter.charAt(i) == '_'
            || filter.charAt(i) == '$')) {
          i++;
        }
        words.add(filter.substring(start, i).toLowerCase(Locale.ROOT));
      } else if (Character.isDigit(c)) {
        while (i < n && (Character.isLetterOrDigit(filter.charAt(i)) || filter.charAt(i) == '.')) {
          i++; // a number, including 1e5: not a name
        }
      } else {
        i++;
      }
    }
    Set<String> columns = new LinkedHashSet<>();
    for (Types.NestedField f : schema.columns()) {
      if (words.contains(f.name().toLowerCase(Locale.ROOT))) {
        columns.add(f.name());
      }
    }
    return columns;
  }
}
