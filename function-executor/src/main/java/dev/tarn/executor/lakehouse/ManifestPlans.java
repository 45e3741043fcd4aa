package dev.tarn.executor.lakehouse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;

/**
 * The live data files each manifest holds that a filter keeps, remembered by manifest file.
 *
 * <p>Why: a commit to a table writes a new manifest list, so every read after it plans the table
 * again, and Iceberg's planning reads every manifest the list names. A table written by many small
 * commits keeps up to a hundred manifests between merges (Iceberg merges them at 100), each an Avro
 * file whose header schema is parsed on every read: after each one-row INSERT into a table of 440,
 * {@code SELECT count(*)} spent 13 of its 41 ms of GetFlightInfo reading them (benchmarks/README.md,
 * B3). A manifest is never rewritten in place, so what it holds is remembered by its location, and
 * a plan after a commit reads only the manifests that commit wrote.
 *
 * <p>The files are the ones Iceberg's own scan would plan: a manifest's live entries whose
 * partition and column bounds may match the filter, evaluated by Iceberg's manifest reader. A
 * snapshot with delete manifests is not planned here (see {@link #dataFiles}).
 */
final class ManifestPlans {
  /** Files remembered at most, over all manifests: tens of MB, since no column statistics are kept. */
  private static final long MAX_FILES = 100_000;

  /**
   * The filter is keyed by its text, which names each predicate's column and literal, and by the
   * schema it is bound to: a column's id is the same only within one schema.
   */
  private record Key(String manifest, int specId, int schemaId, String filter) {}

  private final Cache<Key, List<DataFile>> files = Caffeine.newBuilder()
      .maximumWeight(MAX_FILES)
      .weigher((Key key, List<DataFile> kept) -> Math.max(1, kept.size()))
      .build();

  /**
   * The live data files of the table's current snapshot that {@code filter} (null: all) may match,
   * in manifest order; empty when the snapshot has delete files, which only Iceberg's own scan
   * reports with its tasks.
   */
  Optional<List<DataFile>> dataFiles(Table table, Expression filter) {
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return Optional.of(List.of());
    }
    if (!snapshot.deleteManifests(table.io()).isEmpty()) {
      return Optional.empty();
    }
    String filterText = filter == null ? "" : filter.toString();
    int schemaId = table.schema().schemaId();
    List<DataFile> planned = new ArrayList<>();
    for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
      if (!manifest.hasAddedFiles() && !manifest.hasExistingFiles()) {
        continue;
      }
      planned.addAll(files.get(new Key(manifest.path(), manifest.partitionSpecId(), schemaId, filterText),
          key -> read(table, manifest, filter)));
    }
    return Optional.of(planned);
  }

  /** Forgets every manifest (after housekeeping removed files). */
  void clear() {
    files.invalidateAll();
  }

  private static List<DataFile> read(Table table, ManifestFile manifest, Expression filter) {
    ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs());
    if (filter != null) {
      reader = reader.filterRows(filter);
    }
    List<DataFile> kept = new ArrayList<>();
    try (ManifestReader<DataFile> entries = reader) {
      for (DataFile file : entries) {
        kept.add(file.copyWithoutStats()); // the reader reuses its objects
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(kept);
  }
}
