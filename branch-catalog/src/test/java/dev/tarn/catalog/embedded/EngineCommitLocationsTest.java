package dev.tarn.catalog.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.InvalidChangeException;
import dev.tarn.catalog.TableAction;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.LocalFileIO;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.tarn.testing.OtherEngineTableOperations;

/**
 * An engine's commit (what the Iceberg REST catalog hands the branch catalog) cannot bring a data
 * file from outside the warehouse, however its snapshot is put together: the check reads every entry
 * of every manifest new to the table, not only the entries stamped with the new snapshot's id.
 */
class EngineCommitLocationsTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static final TableId TABLE = TableId.of("public", "t");

  @TempDir Path warehouse;
  @TempDir Path outside;
  private EmbeddedBranchCatalog catalog;

  @BeforeEach
  void open() {
    catalog = EmbeddedBranchCatalog.open(warehouse);
    catalog.commit(ChangeSet.on(BranchCatalog.DEFAULT_BRANCH).createTable(TABLE, SCHEMA));
  }

  @AfterEach
  void close() {
    catalog.close();
  }

  @Test
  void aSnapshotWhoseManifestEntriesCarryAnotherSnapshotIdIsStillChecked() {
    Snapshot written = snapshotNaming(outside.resolve("secret.parquet").toString());
    // The same manifest list under a new snapshot id: its entries carry the old id, so they are not
    // "added by" the new snapshot, and a check of added files alone would see none of them.
    String json = SnapshotParser.toJson(written);
    Snapshot disguised = SnapshotParser.fromJson(json.replaceFirst("\"snapshot-id\"\\s*:\\s*" + written.snapshotId(),
        "\"snapshot-id\":" + (written.snapshotId() + 1)));
    assertEquals(written.snapshotId() + 1, disguised.snapshotId(), json);
    assertFalse(disguised.addedDataFiles(new LocalFileIO()).iterator().hasNext(),
        "the disguise works on Iceberg's own notion of added files");

    InvalidChangeException refused = assertThrows(InvalidChangeException.class, () -> commit(disguised));
    assertTrue(refused.getMessage().contains("secret.parquet") || refused.getMessage().contains(outside.toString()),
        refused.getMessage());
    assertEquals(null, catalog.loadTable(At.branch("main"), TABLE).currentSnapshot(), "nothing landed");
  }

  @Test
  void aSnapshotOfFilesInsideTheWarehouseLands() {
    Snapshot written = snapshotNaming(warehouse.resolve("tables/public/elsewhere/data/ok.parquet").toString());
    commit(written);
    assertEquals(written.snapshotId(), catalog.loadTable(At.branch("main"), TABLE).currentSnapshot().snapshotId());
  }

  private void commit(Snapshot snapshot) {
    catalog.commit(ChangeSet.on(BranchCatalog.DEFAULT_BRANCH).add(new TableAction.IcebergUpdates(TABLE, List.of(),
        List.of(new MetadataUpdate.AddSnapshot(snapshot),
            new MetadataUpdate.SetSnapshotRef(SnapshotRef.MAIN_BRANCH, snapshot.snapshotId(),
                org.apache.iceberg.SnapshotRefType.BRANCH, null, null, null)))));
  }

  /**
   * A snapshot an engine wrote for a table of its own inside the warehouse (manifest list and
   * manifest inside), whose one data file entry names {@code dataFile}.
   */
  private Snapshot snapshotNaming(String dataFile) {
    OtherEngineTableOperations ops = new OtherEngineTableOperations(new LocalFileIO());
    ops.commit(null, TableMetadata.newTableMetadata(SCHEMA, PartitionSpec.unpartitioned(),
        warehouse.resolve("tables/public/engine_own").toString(), Map.of("format-version", "2")));
    Table table = new BaseTable(ops, "engine's own");
    table.newAppend().appendFile(DataFiles.builder(PartitionSpec.unpartitioned()).withPath(dataFile)
        .withFormat(FileFormat.PARQUET).withFileSizeInBytes(100).withRecordCount(1).build()).commit();
    return table.currentSnapshot();
  }
}
