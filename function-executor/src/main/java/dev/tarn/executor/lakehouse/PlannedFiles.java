package dev.tarn.executor.lakehouse;

import java.util.List;

/**
 * The data files a scan of a table reads at a commit, in commit order, with each file's row count
 * from Iceberg's manifests.
 */
record PlannedFiles(List<String> locations, List<Long> rowCounts) {
  /**
   * Beyond this many files a view never has DuckDB open every footer when it binds: that costs
   * about 15 µs a file on every statement, which small files' scans would feel.
   */
  static final int MAX_FOOTERS_AT_BIND = 256;

  PlannedFiles {
    locations = List.copyOf(locations);
    rowCounts = List.copyOf(rowCounts);
    if (locations.size() != rowCounts.size()) {
      throw new IllegalArgumentException(locations.size() + " files but " + rowCounts.size() + " row counts");
    }
  }

  /** The same files under other names (their local paths), row counts unchanged. */
  PlannedFiles at(List<String> paths) {
    return new PlannedFiles(paths, rowCounts);
  }

  /**
   * Whether DuckDB would misjudge how many rows these files hold, by more than a tenth. Binding a
   * read of a list of Parquet files, DuckDB opens the first file's footer only and estimates the
   * whole as that file's row count times the number of files, and it orders joins by that
   * estimate: TPC-H's {@code lineitem} written as a file of 4.1 million rows and one of 1.9 million
   * was taken for 8.1 or 3.9 million rows, by the files' order, and five of the 22 queries ran 1.2x
   * to 2x slower (benchmarks/README.md, B2). False for one file, whose count DuckDB reads, and for
   * more than {@link #MAX_FOOTERS_AT_BIND} files.
   */
  boolean misleadRowEstimate() {
    int n = rowCounts.size();
    if (n < 2 || n > MAX_FOOTERS_AT_BIND) {
      return false;
    }
    long total = 0;
    for (long c : rowCounts) {
      total += c;
    }
    long estimate = rowCounts.get(0) * n;
    return Math.abs(estimate - total) * 10 > total;
  }
}
