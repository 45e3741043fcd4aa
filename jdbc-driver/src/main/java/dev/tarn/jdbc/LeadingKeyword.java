package dev.tarn.jdbc;

import java.util.Locale;
import java.util.Set;

/**
 * The first keyword of a statement, past comments and parentheses: it decides whether
 * {@code Statement.execute} asks the server for an update count (so sqlline and DBeaver report
 * "3 rows affected") or for rows.
 */
final class LeadingKeyword {
  /** Statements that change data or definitions and return a count, never rows. */
  private static final Set<String> UPDATES = Set.of("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER",
      "TRUNCATE", "COPY", "COMMENT", "GRANT", "REVOKE");

  private LeadingKeyword() {}

  static String of(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  static boolean isUpdate(String sql) {
    return UPDATES.contains(of(sql));
  }
}
