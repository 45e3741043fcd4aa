package dev.tarn.catalog.iceberg;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.TableMetadata;

/**
 * Keeps a table's metadata file from growing with every write.
 *
 * <p>An Iceberg metadata file lists every snapshot the table ever had until something expires
 * them, and every write rewrites the whole file: one-row INSERTs made each write slower than the
 * last. In Tarn a table's past is kept by the catalog's commits: each commit names the metadata
 * file of its time, which lists the snapshot current then, and {@code AT COMMIT}, {@code AT
 * TIMESTAMP} and {@code EXPIRE SNAPSHOTS} work on commits. So each metadata file Tarn writes keeps,
 * for the table's current snapshot and for every branch or tag inside the table, its newest
 * {@value #KEPT} snapshots (itself and its ancestors), as Iceberg keeps the newest 100 previous
 * metadata files; the older ones are left out of the new file (their files are untouched, and
 * older metadata files still list them).
 */
final class SnapshotHistory {
  /** Snapshots kept along each line of history; Iceberg's default for previous metadata files. */
  static final int KEPT = 100;

  private SnapshotHistory() {}

  /** {@code metadata} with only the snapshots kept, or itself when it has no more. */
  static TableMetadata trimmed(TableMetadata metadata) {
    List<Snapshot> snapshots = metadata.snapshots();
    if (snapshots.size() <= KEPT) {
      return metadata;
    }
    Set<Long> kept = new HashSet<>();
    if (metadata.currentSnapshot() != null) {
      keepLine(metadata, metadata.currentSnapshot().snapshotId(), kept);
    }
    for (SnapshotRef ref : metadata.refs().values()) {
      keepLine(metadata, ref.snapshotId(), kept);
    }
    Set<Long> removed = new HashSet<>();
    for (Snapshot s : snapshots) {
      if (!kept.contains(s.snapshotId())) {
        removed.add(s.snapshotId());
      }
    }
    if (removed.isEmpty()) {
      return metadata;
    }
    TableMetadata.Builder builder = TableMetadata.buildFrom(metadata).removeSnapshots(removed);
    for (StatisticsFile stats : metadata.statisticsFiles()) {
      if (removed.contains(stats.snapshotId())) {
        builder.removeStatistics(stats.snapshotId());
      }
    }
    for (PartitionStatisticsFile stats : metadata.partitionStatisticsFiles()) {
      if (removed.contains(stats.snapshotId())) {
        builder.removePartitionStatistics(stats.snapshotId());
      }
    }
    return builder.build();
  }

  /** Keeps a snapshot and its newest ancestors, {@value #KEPT} in all. */
  private static void keepLine(TableMetadata metadata, long snapshotId, Set<Long> kept) {
    Snapshot s = metadata.snapshot(snapshotId);
    for (int n = 0; s != null && n < KEPT; n++) {
      kept.add(s.snapshotId());
      s = s.parentId() == null ? null : metadata.snapshot(s.parentId());
    }
  }
}
