package dev.tarn.catalog.nessie;

import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.catalog.iceberg.MetadataFiles;
import dev.tarn.catalog.iceberg.StagingTableOperations;
import dev.tarn.catalog.iceberg.TableFiles;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.projectnessie.model.Content;
import org.projectnessie.model.IcebergTable;

/**
 * The merge rule for a table both sides of a merge changed: when both only appended data files
 * since their common ancestor, the merged table is the target's version plus the data files the
 * source added, appended as one new snapshot. Anything else (a rewrite, delete files, a schema or
 * partitioning change, a drop and re-create) stays a conflict, with the reason.
 */
final class AppendUnion {

  /** What to do with one table changed on both sides. */
  sealed interface Decision permits Union, Refused {}

  /**
   * Both sides only appended: {@code added} are the source's new data files that the target does
   * not already hold (empty when the target already has them all).
   */
  record Union(TableMetadata target, List<DataFile> added) implements Decision {
    Union {
      added = List.copyOf(added);
    }
  }

  /** Not a union of appends; {@code reason} says why, for the conflict's message. */
  record Refused(String reason) implements Decision {}

  private AppendUnion() {}

  /**
   * Decides for table {@code id}, given its content at the common ancestor and on both sides
   * (any may be absent or not a table).
   */
  static Decision decide(FileIO io, TableId id, Content ancestor, Content source, Content target,
      String sourceName, String targetName) {
    if (!(ancestor instanceof IcebergTable a)) {
      return new Refused("it did not exist at the common ancestor and was created on both sides");
    }
    if (!(source instanceof IcebergTable s) || !(target instanceof IcebergTable t)) {
      return new Refused("it was dropped on one side");
    }
    if (!a.getId().equals(s.getId()) || !a.getId().equals(t.getId())) {
      return new Refused("it was dropped and created again");
    }
    TableMetadata am;
    TableMetadata sm;
    TableMetadata tm;
    TableFiles af;
    TableFiles sf;
    TableFiles tf;
    try {
      am = MetadataFiles.read(io, a.getMetadataLocation());
      sm = MetadataFiles.read(io, s.getMetadataLocation());
      tm = MetadataFiles.read(io, t.getMetadataLocation());
      af = TableFiles.of(io, am);
      sf = TableFiles.of(io, sm);
      tf = TableFiles.of(io, tm);
    } catch (NotFoundException | java.io.UncheckedIOException e) {
      return new Refused("its files at the common ancestor or on one side cannot be read ("
          + e.getMessage() + "); they may have been expired");
    }
    Optional<String> why = TableFiles.notOnlyAppended(am, af, sm, sf, sourceName)
        .or(() -> TableFiles.notOnlyAppended(am, af, tm, tf, targetName));
    if (why.isPresent()) {
      return new Refused(why.get());
    }
    List<DataFile> added = sf.dataFiles().entrySet().stream()
        .filter(e -> !af.dataFiles().containsKey(e.getKey()) && !tf.dataFiles().containsKey(e.getKey()))
        .map(java.util.Map.Entry::getValue)
        .toList();
    return new Union(tm, added);
  }

  /**
   * Writes the merged version of a {@link Union} (manifest, manifest list, metadata file) through
   * {@code io} and returns its content for the merge commit, keeping the table's content id.
   */
  static IcebergTable write(FileIO io, TableId id, String contentId, Union union) {
    StagingTableOperations ops = new StagingTableOperations(io, union.target());
    AppendFiles append = CallingThreadExecutor.inPlace(new BaseTable(ops, id.toString()).newAppend());
    union.added().forEach(append::appendFile);
    append.commit();
    TableMetadata merged = ops.current();
    String location = MetadataFiles.write(io, merged);
    Snapshot snapshot = merged.currentSnapshot();
    return IcebergTable.of(location, snapshot.snapshotId(), merged.currentSchemaId(),
        merged.defaultSpecId(), merged.defaultSortOrderId(), contentId);
  }
}
