package dev.tarn.sql;

import java.util.List;

/**
 * Scripts split into statements by Tarn's lexer alone, for clients that send each statement on its
 * own ({@code tarn sql -f}). Loads no parser: a command line calling it starts faster. The server
 * holds every statement to its limits when it arrives.
 */
public final class SqlScripts {
  private SqlScripts() {}

  /** The statements of {@code script}, split at semicolons outside quotes and comments; empty ones dropped. */
  public static List<String> split(String script) {
    return SqlScanner.split(script);
  }

  /**
   * The statement's first word, upper-cased, as the server reads it ({@link ParsedStatement#leadingKeyword}):
   * past white space, comments and opening parentheses as DuckDB skips them (a byte-order mark,
   * Unicode and zero-width spaces, nested comments); empty when it starts otherwise.
   */
  public static String leadingKeyword(String statement) {
    return SqlScanner.leadingKeyword(statement);
  }
}
