package dev.tarn.executor.pipeline;

/**
 * Checks on SQL text a project supplies (SQL models, input filters) before Tarn embeds it in its own
 * statements on engine-internal connections: it must be a single statement or expression, so that
 * nothing can be appended after the statement Tarn builds around it.
 */
final class SqlText {
  private SqlText() {}

  /**
   * Whether {@code sql} has a {@code ;} outside string literals (also dollar-quoted ones), quoted
   * names and comments.
   */
  static boolean hasStatementSeparator(String sql) {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        i = afterQuoted(sql, i, c);
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '$') {
        i = afterDollarQuoted(sql, i);
      } else if (c == ';') {
        return true;
      } else {
        i++;
      }
    }
    return false;
  }

  /** The index after the quoted text starting at {@code start} (a doubled quote escapes it). */
  static int afterQuoted(String s, int start, char quote) {
    int i = start + 1;
    while (i < s.length()) {
      if (s.charAt(i) == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return s.length();
  }

  /**
   * The index after a dollar-quoted string ({@code $$...$$}, {@code $tag$...$tag$}) starting at
   * {@code start}, or just after the {@code $} when none starts there (a parameter such as {@code $1}).
   */
  private static int afterDollarQuoted(String s, int start) {
    int i = start + 1;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    if (i >= s.length() || s.charAt(i) != '$') {
      return start + 1;
    }
    String delimiter = s.substring(start, i + 1);
    int end = s.indexOf(delimiter, i + 1);
    return end < 0 ? s.length() : end + delimiter.length();
  }
}
