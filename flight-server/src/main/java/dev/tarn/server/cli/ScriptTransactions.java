package dev.tarn.server.cli;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a script left a transaction open, from its statements' first words: {@code tarn sql} rolls
 * back a transaction its script began and did not end, so that it never outlives the run (a session
 * shared through an API token would otherwise hold it for the token's next client). The Go client
 * does the same (cli/sql.go).
 */
final class ScriptTransactions {
  static final String ROLLED_BACK_AFTER_ERROR = "tarn sql: the transaction the script began was rolled back";
  static final String ROLLED_BACK_AT_END =
      "tarn sql: the script ended inside a transaction, which was rolled back (end it with COMMIT)";

  private static final Set<String> BEGINS = Set.of("BEGIN", "START");
  private static final Set<String> ENDS = Set.of("COMMIT", "END", "ROLLBACK", "ABORT");

  private ScriptTransactions() {}

  /** Whether a transaction is open after {@code statement} ran without error. */
  static boolean openAfter(boolean open, String statement) {
    String keyword = leadingKeyword(statement);
    return BEGINS.contains(keyword) || open && !ENDS.contains(keyword);
  }

  /** The statement's first word, upper-cased, past white space and comments (which DuckDB nests). */
  static String leadingKeyword(String statement) {
    int i = 0;
    int n = statement.length();
    while (i < n) {
      char c = statement.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (statement.startsWith("--", i)) {
        int end = statement.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (statement.startsWith("/*", i)) {
        int depth = 0;
        do {
          if (statement.startsWith("/*", i)) {
            depth++;
            i += 2;
          } else if (statement.startsWith("*/", i)) {
            depth--;
            i += 2;
          } else {
            i++;
          }
        } while (depth > 0 && i < n);
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && Character.isLetter(statement.charAt(i))) {
      i++;
    }
    return statement.substring(start, i).toUpperCase(Locale.ROOT);
  }
}
