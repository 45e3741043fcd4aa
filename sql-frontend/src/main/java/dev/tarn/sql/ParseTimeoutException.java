package dev.tarn.sql;

import java.time.Duration;

/** Parsing a statement took longer than the statement time limit; the parse was stopped. */
public final class ParseTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ParseTimeoutException(Duration timeout) {
    super("parsing the statement took longer than the server's statement time limit of " + seconds(timeout)
        + " (set by tarn serve --query-timeout) and was stopped; simplify or shorten the statement");
  }

  private static String seconds(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
