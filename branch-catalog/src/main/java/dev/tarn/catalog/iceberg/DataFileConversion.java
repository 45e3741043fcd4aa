package dev.tarn.catalog.iceberg;

import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.InvalidChangeException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

/** Turns Tarn's {@link DataFileSpec} into an Iceberg {@link DataFile} for a table's spec. */
public final class DataFileConversion {
  private DataFileConversion() {}

  public static DataFile toDataFile(DataFileSpec f, Schema schema, PartitionSpec spec) {
    DataFiles.Builder b =
        DataFiles.builder(spec)
            .withPath(f.path())
            .withFormat(f.format())
            .withFileSizeInBytes(f.fileSizeInBytes())
            .withMetrics(
                new Metrics(
                    f.recordCount(),
                    nullIfEmpty(f.columnSizes()),
                    nullIfEmpty(f.valueCounts()),
                    nullIfEmpty(f.nullCounts()),
                    null,
                    bounds(f, f.lowerBounds(), schema),
                    bounds(f, f.upperBounds(), schema)));
    if (spec.isPartitioned()) {
      if (f.partitionPath() == null) {
        throw new InvalidChangeException(
            "data file " + f.path() + " has no partition but the table is partitioned by " + spec);
      }
      b.withPartitionPath(f.partitionPath());
    }
    return b.build();
  }

  private static <V> Map<Integer, V> nullIfEmpty(Map<Integer, V> m) {
    return m.isEmpty() ? null : new HashMap<>(m);
  }

  private static Map<Integer, ByteBuffer> bounds(
      DataFileSpec f, Map<Integer, Object> values, Schema schema) {
    if (values.isEmpty()) {
      return null;
    }
    Map<Integer, ByteBuffer> out = new HashMap<>();
    for (Map.Entry<Integer, Object> e : values.entrySet()) {
      if (e.getValue() instanceof ByteBuffer buf) {
        out.put(e.getKey(), buf);
        continue;
      }
      Type type = schema.findType(e.getKey());
      if (type == null) {
        // a column dropped since the file was written: its bound cannot help pruning
        continue;
      }
      try {
        out.put(e.getKey(), Conversions.toByteBuffer(type, e.getValue()));
      } catch (RuntimeException ex) {
        throw new InvalidChangeException(
            "bound "
                + e.getValue()
                + " of field id "
                + e.getKey()
                + " in data file "
                + f.path()
                + " is not a "
                + type,
            ex);
      }
    }
    return out;
  }
}
