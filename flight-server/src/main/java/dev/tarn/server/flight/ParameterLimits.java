package dev.tarn.server.flight;

/**
 * How much parameter data one upload of bound values may bring (a prepared statement's DoPut:
 * ADBC's {@code executemany}, a JDBC batch). The rows are held in memory until they have run, so
 * they are counted while they are read, and reading stops at the first row past a limit.
 *
 * @param maxBytes bytes of bound values per upload ({@code --max-parameter-mb}): strings count
 *     their UTF-8 bytes, binaries their length, every other value 16 bytes (what it takes in memory)
 * @param maxRows rows of bound values per upload ({@code --max-parameter-rows})
 */
public record ParameterLimits(long maxBytes, long maxRows) {
  public static final long DEFAULT_MAX_BYTES = 64L << 20;
  public static final long DEFAULT_MAX_ROWS = 1_000_000;

  public ParameterLimits {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("the parameter data limit (--max-parameter-mb) must be at least 1 KiB, not "
          + maxBytes + " bytes");
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException("--max-parameter-rows must be at least 1, not " + maxRows);
    }
  }

  public static ParameterLimits defaults() {
    return new ParameterLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS);
  }
}
