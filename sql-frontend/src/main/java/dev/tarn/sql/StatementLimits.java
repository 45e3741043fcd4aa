package dev.tarn.sql;

import java.time.Duration;
import java.util.List;

/**
 * How much SQL text one statement may bring, checked before any parser sees it: the text's size in
 * UTF-8 bytes, how deeply it nests (see {@link NestingDepth} for the measure) and how long parsing it
 * may take. Parsers recurse and some of their algorithms grow faster than the text, so an unbounded
 * statement could exhaust a thread's stack or hold a core for minutes; these bounds keep every
 * statement's cost in proportion.
 *
 * @param maxStatementBytes the largest statement, in UTF-8 bytes ({@code tarn serve --max-statement-bytes})
 * @param maxNestingDepth the deepest nesting ({@code tarn serve --max-nesting-depth})
 * @param parseTimeout how long parsing one statement may take: the server's statement time limit
 *     ({@code tarn serve --query-timeout})
 */
public record StatementLimits(int maxStatementBytes, int maxNestingDepth, Duration parseTimeout) {

  /** 1 MiB: generous for hand-written and generated SQL; data belongs in ingest or parameters. */
  public static final int DEFAULT_MAX_STATEMENT_BYTES = 1 << 20;

  /**
   * 256 levels: far beyond what people and BI tools write, and well inside what Tarn's parser and
   * DuckDB (whose own expression depth limit is 1000) handle.
   */
  public static final int DEFAULT_MAX_NESTING_DEPTH = 256;

  /** The server's defaults, with its default statement time limit of 10 minutes. */
  public static final StatementLimits DEFAULTS =
      new StatementLimits(DEFAULT_MAX_STATEMENT_BYTES, DEFAULT_MAX_NESTING_DEPTH, Duration.ofMinutes(10));

  /**
   * No limits: for splitting a script on the client side ({@code tarn sql -f}), where the server
   * checks each statement when it arrives.
   */
  public static final StatementLimits NONE =
      new StatementLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(Long.MAX_VALUE));

  public StatementLimits {
    if (maxStatementBytes < 1) {
      throw new IllegalArgumentException("the maximum statement size must be at least 1 byte, not "
          + maxStatementBytes + " (--max-statement-bytes)");
    }
    if (maxNestingDepth < 1) {
      throw new IllegalArgumentException("the maximum nesting depth must be at least 1, not " + maxNestingDepth
          + " (--max-nesting-depth)");
    }
    if (parseTimeout.isNegative() || parseTimeout.isZero()) {
      throw new IllegalArgumentException("the statement time limit must be positive, not " + parseTimeout);
    }
  }

  /** The same limits with another parse time limit (the server's {@code --query-timeout}). */
  public StatementLimits withParseTimeout(Duration timeout) {
    return new StatementLimits(maxStatementBytes, maxNestingDepth, timeout);
  }

  /**
   * Checks the text's size; cheap, and done before the text is even tokenized.
   *
   * @throws StatementLimitException when the text is larger than {@link #maxStatementBytes()}
   */
  void checkSize(String sql) {
    long bytes = utf8Length(sql, maxStatementBytes);
    if (bytes > maxStatementBytes) {
      throw new StatementLimitException(StatementLimitException.Limit.STATEMENT_BYTES, bytes, maxStatementBytes);
    }
  }

  /**
   * Checks how deeply the tokens nest.
   *
   * @throws StatementLimitException when they nest deeper than {@link #maxNestingDepth()}
   */
  void checkNesting(List<SqlScanner.Token> tokens) {
    int depth = NestingDepth.of(tokens, maxNestingDepth);
    if (depth > maxNestingDepth) {
      throw new StatementLimitException(StatementLimitException.Limit.NESTING_DEPTH, depth, maxNestingDepth);
    }
  }

  /** The deadline of a parse starting now. */
  ParseDeadline startParse() {
    return ParseDeadline.after(parseTimeout);
  }

  /**
   * The text's UTF-8 length, counted without encoding it; stops counting past {@code limit} (the
   * result is then some number larger than the limit, at most the exact length).
   */
  static long utf8Length(String s, long limit) {
    if (s.length() > limit) {
      return s.length(); // every char is at least one byte: too large, whatever the characters
    }
    long bytes = 0;
    for (int i = 0; i < s.length() && bytes <= limit; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3; // the rest of the BMP; a lone surrogate is encoded as '?' (1 byte) but counting 3 is safe
      }
    }
    return bytes;
  }
}
