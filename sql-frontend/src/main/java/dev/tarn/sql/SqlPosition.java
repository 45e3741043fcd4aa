package dev.tarn.sql;

/**
 * A span in the statement text, 1-based lines and columns, as users count them in their editor.
 * The end is inclusive: {@code (1, 15, 1, 17)} covers the three characters at columns 15, 16 and 17.
 * A tab counts as one column.
 */
public record SqlPosition(int line, int column, int endLine, int endColumn) {
  public static SqlPosition at(int line, int column) {
    return new SqlPosition(line, column, line, column);
  }

  /** The index in {@code text} of this span's first character. */
  public int startIndex(String text) {
    return indexOf(text, line, column);
  }

  /** The index in {@code text} just past this span's last character: {@code text.substring(startIndex, endIndex)}. */
  public int endIndex(String text) {
    return Math.min(text.length(), indexOf(text, endLine, endColumn) + 1);
  }

  private static int indexOf(String text, int line, int column) {
    int index = 0;
    for (int l = 1; l < line; l++) {
      int newline = text.indexOf('\n', index);
      if (newline < 0) {
        return text.length();
      }
      index = newline + 1;
    }
    return Math.min(text.length(), index + column - 1);
  }

  @Override
  public String toString() {
    return "line " + line + ", column " + column;
  }
}
