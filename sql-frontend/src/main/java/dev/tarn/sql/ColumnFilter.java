package dev.tarn.sql;

import java.util.List;

/**
 * A simple condition a query's WHERE puts on one column of one table ({@code country = 'IT'},
 * {@code ts >= TIMESTAMP '2023-01-01'}, {@code id IN (1, 2)}, {@code x IS NULL}). Every filter of a
 * table reference must hold for each row the query reads, so a scan may skip data files that
 * cannot satisfy it; rows are still filtered by the engine.
 *
 * @param column the column name as written (unqualified)
 * @param op the comparison
 * @param values the literal operands (one for comparisons, several for IN, none for IS [NOT] NULL)
 */
public record ColumnFilter(String column, Op op, List<Literal> values) {

  public ColumnFilter {
    values = List.copyOf(values);
  }

  public enum Op { EQ, NOT_EQ, LT, LT_EQ, GT, GT_EQ, IN, IS_NULL, IS_NOT_NULL }

  /** A literal as written: its kind and text ({@code 42}, {@code 'IT'}, {@code DATE '2023-01-01'}). */
  public record Literal(Kind kind, String text) {
    public enum Kind { NUMBER, STRING, BOOLEAN, DATE, TIMESTAMP }
  }
}
