package dev.tarn.executor.lakehouse;

import java.util.List;

/**
 * The data files a scan of a table reads at a commit, in commit order (their locations as planned,
 * or their local paths once fetched), whether DuckDB should open every one's footer when it binds
 * the read to learn their exact row count (see {@link #misleadRowEstimate}), and the rows they hold
 * as their manifests record them ({@link #UNKNOWN_ROWS} when the counts add up past a long).
 */
record PlannedFiles(List<String> files, boolean countEveryFile, long rows) {
  static final long UNKNOWN_ROWS = -1;

  /**
   * The most footer fields (files times the table's fields) a view has DuckDB read when it binds,
   * on every statement: a footer's size grows with its columns and row groups. Measured embedded,
   * a footer of 3 columns costs about 15 µs and one of 400 columns in 10 row groups about 0.7 ms;
   * within this budget that is at most a few milliseconds a statement.
   */
  static final int MAX_FOOTER_FIELDS_AT_BIND = 4_096;

  PlannedFiles {
    files = List.copyOf(files);
  }

  /** The same files under other names (their local paths), in the same order. */
  PlannedFiles at(List<String> paths) {
    if (paths.size() != files.size()) {
      throw new IllegalArgumentException(files.size() + " files but " + paths.size() + " paths");
    }
    return new PlannedFiles(paths, countEveryFile, rows);
  }

  /** The sum of {@code rowCounts}, or {@link #UNKNOWN_ROWS} when it overflows or a count is negative. */
  static long total(List<Long> rowCounts) {
    long total = 0;
    for (long c : rowCounts) {
      if (c < 0) {
        return UNKNOWN_ROWS;
      }
      try {
        total = Math.addExact(total, c);
      } catch (ArithmeticException absurdCounts) {
        return UNKNOWN_ROWS; // only a broken manifest claims such counts
      }
    }
    return total;
  }

  /**
   * Whether DuckDB would misjudge how many rows files of these row counts hold, by more than a
   * tenth, and reading every footer stays within {@link #MAX_FOOTER_FIELDS_AT_BIND} for a table of
   * {@code fields} fields. Binding a read of a list of Parquet files, DuckDB opens the first file's
   * footer only and estimates the whole as that file's row count times the number of files, and it
   * orders joins by that estimate: TPC-H's {@code lineitem} written as a file of 1.9 million rows
   * and one of 4.1 million was taken for 3.9 million rows, and five of the 22 queries ran 1.2x to 2x
   * slower (benchmarks/README.md, B2). False for one file, whose count DuckDB reads.
   */
  static boolean misleadRowEstimate(List<Long> rowCounts, int fields) {
    int n = rowCounts.size();
    if (n < 2 || (long) n * Math.max(1, fields) > MAX_FOOTER_FIELDS_AT_BIND) {
      return false;
    }
    try {
      long total = 0;
      for (long c : rowCounts) {
        total = Math.addExact(total, c);
      }
      long estimate = Math.multiplyExact(rowCounts.get(0), n);
      return Math.multiplyExact(Math.abs(estimate - total), 10) > total;
    } catch (ArithmeticException absurdCounts) {
      return false; // only a broken manifest claims such counts; DuckDB's own estimate will do
    }
  }
}
