package dev.tarn.sql;

import java.util.List;

/**
 * The conditions of a boolean expression over one table's columns that a scan can check against its
 * data files' metadata: those of its AND-ed conditions that compare a column with literals.
 *
 * @param usable those conditions, in the order written
 * @param whole whether they are the whole expression: nothing else (an OR, a function, two columns)
 *     is AND-ed with them
 */
public record ScanConditions(List<ColumnFilter> usable, boolean whole) {
  public ScanConditions {
    usable = List.copyOf(usable);
  }
}
