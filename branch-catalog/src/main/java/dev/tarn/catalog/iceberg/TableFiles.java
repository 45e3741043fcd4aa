package dev.tarn.catalog.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;

/**
 * The files one version of a table reads: the live data files of its current snapshot, by path,
 * and whether that snapshot has delete files. Data files are immutable and their paths unique, so
 * two versions of a table that hold the same paths hold the same rows.
 */
public record TableFiles(Map<String, DataFile> dataFiles, boolean hasDeleteFiles) {

  public TableFiles {
    dataFiles = Map.copyOf(dataFiles);
  }

  /** The files of {@code metadata}'s current snapshot (none for a table never written). */
  public static TableFiles of(FileIO io, TableMetadata metadata) {
    Snapshot snapshot = metadata.currentSnapshot();
    if (snapshot == null) {
      return new TableFiles(Map.of(), false);
    }
    Map<String, DataFile> files = new LinkedHashMap<>();
    for (ManifestFile manifest : snapshot.dataManifests(io)) {
      try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, io, metadata.specsById())) {
        for (DataFile file : reader) {
          // the reader reuses its objects: keep a copy
          files.put(file.location(), file.copy());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the manifest " + manifest.path(), e);
      }
    }
    return new TableFiles(files, !snapshot.deleteManifests(io).isEmpty());
  }

  /**
   * Why {@code after} is not {@code before} plus appended data files, or empty when it is: the same
   * schema and partitioning, no delete files, and every data file of {@code before} still there.
   *
   * @param side how to name the version {@code after} in the reason, such as "branch dev"
   */
  public static Optional<String> notOnlyAppended(TableMetadata before, TableFiles beforeFiles,
      TableMetadata after, TableFiles afterFiles, String side) {
    if (!after.schema().sameSchema(before.schema())) {
      return Optional.of("its schema changed on " + side);
    }
    if (!after.spec().equals(before.spec())) {
      return Optional.of("its partitioning changed on " + side);
    }
    if (afterFiles.hasDeleteFiles()) {
      return Optional.of(side + " has delete files for it");
    }
    if (!afterFiles.dataFiles().keySet().containsAll(beforeFiles.dataFiles().keySet())) {
      return Optional.of(side + " rewrote or removed some of its data files"
          + " (UPDATE, DELETE, MERGE INTO or OPTIMIZE)");
    }
    return Optional.empty();
  }
}
