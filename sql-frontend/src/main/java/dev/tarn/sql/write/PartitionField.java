package dev.tarn.sql.write;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * One field of {@code PARTITIONED BY (...)}: {@code col} (identity), {@code year(ts)},
 * {@code month(ts)}, {@code day(ts)}, {@code hour(ts)}, {@code bucket(16, col)},
 * {@code truncate(4, col)} (Spark's plural forms {@code years(ts)}, ... are accepted too).
 *
 * @param transform one of identity, year, month, day, hour, bucket, truncate
 * @param column the source column as written (quoted names unquoted; nested fields joined with '.')
 * @param argument the bucket count or truncation width, for bucket and truncate only
 */
public record PartitionField(String transform, String column, OptionalInt argument) {

  public PartitionField {
    Objects.requireNonNull(transform, "transform");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(argument, "argument");
  }

  public static PartitionField identity(String column) {
    return new PartitionField("identity", column, OptionalInt.empty());
  }
}
