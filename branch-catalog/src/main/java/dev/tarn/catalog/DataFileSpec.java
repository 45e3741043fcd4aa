package dev.tarn.catalog;

import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.FileFormat;

/**
 * A data file written outside the catalog (by DuckDB's {@code COPY ... (FORMAT parquet,
 * FIELD_IDS ...)}, or any writer) to register in a table, with the metrics Iceberg uses to prune
 * files. Metric maps are keyed by Iceberg field id; any of them may be empty. Bounds are plain Java
 * values in Iceberg's representation of the column's type ({@code Long} for bigint, {@code
 * CharSequence} for string, {@code Integer} days for date, micros {@code Long} for timestamp,
 * {@code BigDecimal} for decimal, ...) or already serialized {@code ByteBuffer}s.
 *
 * @param path absolute location of the file
 * @param format file format, normally Parquet
 * @param fileSizeInBytes the file's size
 * @param recordCount the number of rows
 * @param partitionPath Iceberg partition path such as {@code country=US/ts_day=2026-01-01}; null
 *     for an unpartitioned table
 */
public record DataFileSpec(
    String path,
    FileFormat format,
    long fileSizeInBytes,
    long recordCount,
    String partitionPath,
    Map<Integer, Long> columnSizes,
    Map<Integer, Long> valueCounts,
    Map<Integer, Long> nullCounts,
    Map<Integer, Object> lowerBounds,
    Map<Integer, Object> upperBounds) {
  public DataFileSpec {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    columnSizes = Map.copyOf(columnSizes);
    valueCounts = Map.copyOf(valueCounts);
    nullCounts = Map.copyOf(nullCounts);
    lowerBounds = Map.copyOf(lowerBounds);
    upperBounds = Map.copyOf(upperBounds);
  }

  /** A Parquet file with only its size and row count known (no pruning metrics). */
  public static DataFileSpec parquet(String path, long fileSizeInBytes, long recordCount) {
    return new DataFileSpec(
        path, FileFormat.PARQUET, fileSizeInBytes, recordCount, null,
        Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  public DataFileSpec withPartitionPath(String partition) {
    return new DataFileSpec(path, format, fileSizeInBytes, recordCount, partition,
        columnSizes, valueCounts, nullCounts, lowerBounds, upperBounds);
  }

  public DataFileSpec withCounts(Map<Integer, Long> values, Map<Integer, Long> nulls) {
    return new DataFileSpec(path, format, fileSizeInBytes, recordCount, partitionPath,
        columnSizes, values, nulls, lowerBounds, upperBounds);
  }

  public DataFileSpec withColumnSizes(Map<Integer, Long> sizes) {
    return new DataFileSpec(path, format, fileSizeInBytes, recordCount, partitionPath,
        sizes, valueCounts, nullCounts, lowerBounds, upperBounds);
  }

  public DataFileSpec withBounds(Map<Integer, Object> lower, Map<Integer, Object> upper) {
    return new DataFileSpec(path, format, fileSizeInBytes, recordCount, partitionPath,
        columnSizes, valueCounts, nullCounts, lower, upper);
  }
}
