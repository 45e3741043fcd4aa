package dev.tarn.executor.lakehouse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ExpressionParser;
import org.apache.iceberg.types.Types;

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
  /** Files remembered at most, over all manifests: some tens of MB, since no column statistics are kept. */
  private static final long MAX_FILES = 50_000;

  /**
   * A manifest planned for a filter bound to a schema. The filter is bound by column name, so the
   * key holds the schema's whole structure (names, ids, types) and the partition spec it projects
   * the filter through, not their ids: two branches, or a branch moved back, can give different
   * schemas the same id. The filter is keyed by its JSON form ({@link #filterKey}).
   */
  private record Key(String manifest, PartitionSpec spec, Binding binding) {}

  /** The schema and filter of one plan, hashed once for all its manifests (a schema may be wide). */
  private record Binding(Types.StructType schema, String filter, int hash) {
    Binding(Types.StructType schema, String filter) {
      this(schema, filter, Objects.hash(schema, filter));
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

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
    Binding binding = new Binding(table.schema().asStruct(), filterKey(filter));
    List<DataFile> planned = new ArrayList<>();
    for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
      if (!manifest.hasAddedFiles() && !manifest.hasExistingFiles()) {
        continue;
      }
      PartitionSpec spec = table.specs().get(manifest.partitionSpecId());
      planned.addAll(files.get(new Key(manifest.path(), spec, binding), key -> read(table, manifest, filter)));
    }
    return Optional.of(planned);
  }

  /**
   * A filter (null: none) as a key. Its JSON form, since its {@code toString()} prints string
   * literals unescaped: {@code s IN ('a", "b')} and {@code s IN ('a', 'b')} print alike.
   */
  static String filterKey(Expression filter) {
    return filter == null ? "" : ExpressionParser.toJson(filter);
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
        kept.add(file.copyWithoutStats()); // the reader's copies carry column statistics a plan does not use
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(kept);
  }
}
