package dev.tarn.server.flight;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import java.util.List;

/** Counts the bound values of one upload against {@link ParameterLimits}, row by row as they are read. */
final class ParameterBudget {
  /** What a value other than a string or binary takes in memory, boxed. */
  static final long FIXED_VALUE_BYTES = 16;

  private final ParameterLimits limits;
  private long rows;
  private long bytes;

  ParameterBudget(ParameterLimits limits) {
    this.limits = limits;
  }

  /**
   * Counts one more row.
   *
   * @throws TarnException naming the limit and its flag when the row goes past it
   */
  void count(List<Object> row) {
    rows++;
    if (rows > limits.maxRows()) {
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "the bound parameters exceed the server's limit of "
          + limits.maxRows() + " rows per upload (--max-parameter-rows); " + ADVICE);
    }
    for (Object value : row) {
      bytes += sizeOf(value);
    }
    if (bytes > limits.maxBytes()) {
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "the bound parameters exceed the server's limit of "
          + mebibytes(limits.maxBytes()) + " of parameter data per upload (--max-parameter-mb), at row " + rows + "; "
          + ADVICE);
    }
  }

  private static final String ADVICE = "bind fewer rows per execution, or load data with bulk ingest (ADBC"
      + " adbc_ingest) or INSERT ... SELECT";

  static long sizeOf(Object value) {
    if (value instanceof String s) {
      return Math.max(FIXED_VALUE_BYTES, com.google.common.base.Utf8.encodedLength(s));
    }
    if (value instanceof byte[] b) {
      return Math.max(FIXED_VALUE_BYTES, b.length);
    }
    return FIXED_VALUE_BYTES;
  }

  private static String mebibytes(long bytes) {
    return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
  }
}
