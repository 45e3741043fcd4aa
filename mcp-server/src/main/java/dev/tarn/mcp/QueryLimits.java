package dev.tarn.mcp;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import java.time.Duration;

/**
 * How much one {@code query} tool call may return and take: rows (the caller's {@code limit}, at most
 * {@link #MAX_ROWS}), characters of the answer, and time. An agent reads the answer whole, so it is
 * kept small; the answer says when it was cut.
 */
record QueryLimits(int rows, long maxChars, Duration timeLimit) {
  static final int DEFAULT_ROWS = 100;
  static final int MAX_ROWS = 10_000;
  /** Well under the 1 MiB event size MCP clients take by default, even for text of three-byte characters. */
  static final long DEFAULT_MAX_CHARS = 256L << 10;
  static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

  /** The limits for a call that asked for {@code requestedRows} rows (null: the default). */
  static QueryLimits forRequest(Object requestedRows) {
    return new QueryLimits(rows(requestedRows), DEFAULT_MAX_CHARS, DEFAULT_TIME_LIMIT);
  }

  private static int rows(Object requested) {
    if (requested == null) {
      return DEFAULT_ROWS;
    }
    if (!(requested instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "limit must be a whole number of rows from 1 to " + MAX_ROWS
          + ", not " + requested);
    }
    long value = number.longValue();
    if (value < 1 || value > MAX_ROWS) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "limit must be from 1 to " + MAX_ROWS + " rows, not " + value);
    }
    return (int) value;
  }
}
