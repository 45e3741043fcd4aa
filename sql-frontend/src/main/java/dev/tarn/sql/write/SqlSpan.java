package dev.tarn.sql.write;

import dev.tarn.sql.SqlPosition;

/**
 * A range of characters in a statement's original text: {@code sql.substring(startIndex, endIndex)}
 * is exactly the text the span covers (the end is exclusive).
 */
public record SqlSpan(int startIndex, int endIndex) {

  public SqlSpan {
    if (startIndex < 0 || endIndex < startIndex) {
      throw new IllegalArgumentException("bad span [" + startIndex + ", " + endIndex + ")");
    }
  }

  /** The span of a {@link SqlPosition} (1-based lines and columns, end inclusive) in {@code sql}. */
  public static SqlSpan of(SqlPosition position, String sql) {
    return new SqlSpan(position.startIndex(sql), position.endIndex(sql));
  }

  public int length() {
    return endIndex - startIndex;
  }

  /** The text this span covers in {@code sql}. */
  public String text(String sql) {
    return sql.substring(startIndex, endIndex);
  }

  /** {@code sql} with this span replaced by {@code replacement}. */
  public String replaceIn(String sql, String replacement) {
    return sql.substring(0, startIndex) + replacement + sql.substring(endIndex);
  }

  /** {@code sql} without this span. */
  public String removeFrom(String sql) {
    return replaceIn(sql, "");
  }
}
