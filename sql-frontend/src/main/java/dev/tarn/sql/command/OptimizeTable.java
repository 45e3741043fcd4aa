package dev.tarn.sql.command;

import java.util.List;

/**
 * {@code OPTIMIZE TABLE name}: rewrite the table's small data files into few large ones, as one
 * commit on its branch, without changing a row.
 *
 * @param nameParts the table's name as written: {@code t}, {@code schema.t} or {@code branch.schema.t}
 */
public record OptimizeTable(List<String> nameParts) implements TarnCommand {
  public OptimizeTable {
    nameParts = List.copyOf(nameParts);
    if (nameParts.isEmpty()) {
      throw new IllegalArgumentException("OPTIMIZE TABLE needs a table name");
    }
  }

  @Override
  public String statementName() {
    return "OPTIMIZE TABLE";
  }
}
