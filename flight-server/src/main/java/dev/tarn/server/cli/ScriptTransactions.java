package dev.tarn.server.cli;

import dev.tarn.sql.SqlScripts;
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
  static final String NOT_ROLLED_BACK = "tarn sql: could not roll back the transaction the script began: ";

  private static final Set<String> BEGINS = Set.of("BEGIN", "START");
  private static final Set<String> ENDS = Set.of("COMMIT", "END", "ROLLBACK", "ABORT");

  private ScriptTransactions() {}

  /** Whether a transaction is open after {@code statement} ran without error. */
  static boolean openAfter(boolean open, String statement) {
    String keyword = SqlScripts.leadingKeyword(statement);
    return BEGINS.contains(keyword) || open && !ENDS.contains(keyword);
  }

  /** Whether a ROLLBACK's error says there was no transaction left (a failed COMMIT ended it). */
  static boolean alreadyEnded(String error) {
    return error != null && error.contains("ROLLBACK without a transaction");
  }
}
