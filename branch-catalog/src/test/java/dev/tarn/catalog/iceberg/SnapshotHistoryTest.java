package dev.tarn.catalog.iceberg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table's metadata file keeps its newest snapshots; its past stays reachable through commits. */
class SnapshotHistoryTest {
  @TempDir Path dir;

  private static int count(Iterable<Snapshot> snapshots) {
    int n = 0;
    for (Snapshot ignored : snapshots) {
      n++;
    }
    return n;
  }

  @Test
  void theMetadataFileKeepsTheNewestSnapshotsAndOldCommitsStillReadTheirs() {
    try (EmbeddedBranchCatalog catalog = EmbeddedBranchCatalog.open(dir.resolve("lake"))) {
      Schema schema = new Schema(Types.NestedField.optional(1, "x", Types.IntegerType.get()));
      TableId t = TableId.of("s", "t");
      catalog.commit(ChangeSet.on("main").createNamespace("s", true)
          .createTable(t, schema, PartitionSpec.unpartitioned(), Map.of(), false));
      String firstAppend = null;
      // Past the 100th manifest each append also merges manifests, deleting the one it just wrote
      // before the commit forces its files (DurableFiles.Deferred must skip it).
      int appends = SnapshotHistory.KEPT + 30;
      for (int i = 0; i < appends; i++) {
        String hash = catalog.commit(ChangeSet.on("main").appendFiles(t, DataFileSpec.parquet(
            catalog.warehouseLocation() + "/data/" + i + ".parquet", 100, 1))).hash();
        if (firstAppend == null) {
          firstAppend = hash;
        }
      }
      Table table = catalog.loadTable(At.branch("main"), t);
      TableMetadata current = ((HasTableOperations) table).operations().current();
      assertEquals(SnapshotHistory.KEPT, count(table.snapshots()));
      assertEquals(Integer.toString(appends), table.currentSnapshot().summary().get("total-data-files"));
      assertEquals(SnapshotHistory.KEPT, current.snapshotLog().size(), "the log names only kept snapshots");
      assertTrue(current.metadataFileLocation().contains(String.format("/%05d-", appends)),
          "file names count versions: " + current.metadataFileLocation());

      // the first append's commit names the metadata file of its time, with its snapshot
      Table then = catalog.loadTable(At.commit(firstAppend), t);
      assertEquals("1", then.currentSnapshot().summary().get("total-data-files"));
    }
  }
}
