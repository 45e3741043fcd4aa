package dev.tarn.sql.command;

import dev.tarn.sql.ColumnFilter;
import java.util.List;

/**
 * {@code OPTIMIZE TABLE name [WHERE condition]}: rewrite the table's small data files (those that
 * may hold rows the condition accepts, when there is one) into few large ones, as one commit on its
 * branch, without changing a row.
 *
 * @param nameParts the table's name as written: {@code t}, {@code schema.t} or {@code branch.schema.t}
 * @param where the condition's comparisons, all of which a picked file may satisfy; empty for the
 *     whole table
 */
public record OptimizeTable(List<String> nameParts, List<ColumnFilter> where) implements TarnCommand {
  public OptimizeTable {
    nameParts = List.copyOf(nameParts);
    where = List.copyOf(where);
    if (nameParts.isEmpty()) {
      throw new IllegalArgumentException("OPTIMIZE TABLE needs a table name");
    }
  }

  public OptimizeTable(List<String> nameParts) {
    this(nameParts, List.of());
  }

  @Override
  public String statementName() {
    return "OPTIMIZE TABLE";
  }
}
