package dev.tarn.sql;

import java.io.IOException;
import java.time.Duration;
import org.apache.calcite.util.SourceStringReader;

/**
 * When the parse of one statement must have finished. Calcite's parsers read their text through a
 * {@link #reader reader} that checks the deadline every time they fetch more characters, so a parse
 * that runs out of time stops there and frees its thread, instead of running on after the client
 * got its error.
 */
final class ParseDeadline {
  private final Duration timeout;
  private final long deadlineNanos;

  private ParseDeadline(Duration timeout, long deadlineNanos) {
    this.timeout = timeout;
    this.deadlineNanos = deadlineNanos;
  }

  static ParseDeadline after(Duration timeout) {
    long now = System.nanoTime();
    long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE / 2 : timeout.toNanos();
    return new ParseDeadline(timeout, now + nanos);
  }

  boolean passed() {
    return System.nanoTime() - deadlineNanos > 0;
  }

  /** @throws ParseTimeoutException when the deadline has passed */
  void check() {
    if (passed()) {
      throw new ParseTimeoutException(timeout);
    }
  }

  /**
   * The text for Calcite's {@code SqlParser.create(Reader, Config)}; a {@link SourceStringReader},
   * so that Calcite still knows the original text for its messages.
   */
  SourceStringReader reader(String text) {
    return new SourceStringReader(text) {
      @Override
      public int read(char[] buffer, int offset, int length) throws IOException {
        // Unchecked on purpose: JavaCC takes an IOException for the end of the text and would go on
        // parsing a truncated statement.
        check();
        return super.read(buffer, offset, length);
      }

      @Override
      public int read() throws IOException {
        check();
        return super.read();
      }
    };
  }
}
