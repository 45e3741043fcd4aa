package dev.tarn.executor.lakehouse;

/**
 * Names of local files the engine reads, safe from its glob patterns.
 *
 * <p>DuckDB reads every path given to {@code read_parquet} as a pattern: {@code *}, {@code **},
 * {@code ?} and {@code [..]} name all matching files, and they cannot be quoted. A data file's
 * location comes from a table's metadata, which another engine may have written, and a partition
 * folder may hold a {@code *} of a row's value; read as a pattern, such a path could name other
 * tables' files. A file whose location holds one is therefore read through a local name where each
 * of them (and {@code %}, to keep names distinct) is percent-encoded.
 */
final class LiteralPaths {
  private static final String PATTERN_CHARACTERS = "*?[";

  private LiteralPaths() {}

  /** Whether the engine would read {@code path} as a pattern. */
  static boolean isPattern(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (PATTERN_CHARACTERS.indexOf(path.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** {@code name} with {@code %}, {@code *}, {@code ?} and {@code [} percent-encoded. */
  static String escape(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '%' || PATTERN_CHARACTERS.indexOf(ch) >= 0) {
        out.append('%').append(String.format("%02X", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** The inverse of {@link #escape}. */
  static String unescape(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '%' && i + 2 < name.length()) {
        out.append((char) Integer.parseInt(name.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
