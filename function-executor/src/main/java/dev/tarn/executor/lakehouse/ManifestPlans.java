package dev.tarn.executor.lakehouse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.ManifestEvaluator;
import org.apache.iceberg.expressions.Projections;
import org.apache.iceberg.types.Types;

/**
 * The live data files of each manifest, remembered by manifest file, and the ones a filter keeps,
 * chosen in memory.
 *
 * <p>Why: a commit to a table writes a new manifest list, so every read after it plans the table
 * again, and Iceberg's planning reads every manifest the list names. A table written by many small
 * commits keeps up to a hundred manifests between merges (Iceberg merges them at 100), each an Avro
 * file whose header schema is parsed on every read: after each one-row INSERT into a table of 440,
 * {@code SELECT count(*)} spent 13 of its 41 ms of GetFlightInfo reading them (benchmarks/README.md,
 * B3). And a filter not seen before read the table's manifests again. A manifest is never
 * rewritten in place, so its files are remembered by its location, with their partitions and
 * column bounds; a plan after a commit reads only the manifests that commit wrote, and a new filter
 * reads none.
 *
 * <p>A filter keeps the files Iceberg's scan keeps for it: in the manifests whose partition
 * summaries may match, those whose partition (the filter projected through the manifest's partition
 * spec) and column bounds may match, all bound to the table's current schema, as Iceberg's scan
 * and {@code ManifestReader#filterRows} bind them. Binding happens for each plan; the memo holds
 * each manifest as read through the current partition type, which is all it depends on. A snapshot
 * with delete manifests is not planned here (see {@link #dataFiles}).
 */
final class ManifestPlans {
  /** Iceberg's scans match column names exactly unless told otherwise; so do these plans. */
  private static final boolean CASE_SENSITIVE = true;

  /**
   * What the memo holds at most, in units of about 450 bytes: a column's counts and bounds take
   * one, a file's path, partition and maps about two more. So about 90 MB: 12,000 files of 16
   * columns. A manifest heavier than that on its own is read again each time it is planned.
   */
  private static final long MAX_WEIGHT = 200_000;

  /**
   * A manifest read through one partition type: Iceberg's reader promotes an old manifest's
   * partition values to the current type (an int column widened to long), so values read through
   * another type would not compare.
   */
  private record Key(String manifest, Types.StructType partitionType) {}

  private final Cache<Key, List<DataFile>> manifests = Caffeine.newBuilder()
      .maximumWeight(MAX_WEIGHT)
      .weigher((Key key, List<DataFile> files) -> files.stream().mapToInt(ManifestPlans::weight).sum())
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
    Map<Integer, FileFilter> filters = new HashMap<>();
    List<DataFile> planned = new ArrayList<>();
    for (ManifestFile manifest : snapshot.dataManifests(table.io())) {
      if (!manifest.hasAddedFiles() && !manifest.hasExistingFiles()) {
        continue;
      }
      PartitionSpec spec = table.specs().get(manifest.partitionSpecId());
      FileFilter kept = filter == null ? null
          : filters.computeIfAbsent(manifest.partitionSpecId(), specId -> FileFilter.of(spec, filter));
      if (kept != null && !kept.manifest().eval(manifest)) {
        continue; // its partitions' summaries rule it out, as in Iceberg's scan
      }
      List<DataFile> files = manifests.get(new Key(manifest.path(), spec.partitionType()),
          key -> read(table, manifest));
      if (kept == null) {
        planned.addAll(files);
        continue;
      }
      for (DataFile file : files) {
        if (kept.mayMatch(file)) {
          planned.add(file);
        }
      }
    }
    return Optional.of(planned);
  }

  /** Forgets every manifest (after housekeeping removed files). */
  void clear() {
    manifests.invalidateAll();
  }

  /** A filter bound for the manifests and files of one partition spec, as Iceberg's scan binds it. */
  private record FileFilter(ManifestEvaluator manifest, Evaluator partition, InclusiveMetricsEvaluator bounds) {
    static FileFilter of(PartitionSpec spec, Expression filter) {
      return new FileFilter(ManifestEvaluator.forRowFilter(filter, spec, CASE_SENSITIVE),
          new Evaluator(spec.partitionType(), Projections.inclusive(spec, CASE_SENSITIVE).project(filter), CASE_SENSITIVE),
          new InclusiveMetricsEvaluator(spec.schema(), filter, CASE_SENSITIVE));
    }

    boolean mayMatch(DataFile file) {
      return partition.eval(file.partition()) && bounds.eval(file);
    }
  }

  private static int weight(DataFile file) {
    int columns = Math.max(size(file.valueCounts()), Math.max(size(file.lowerBounds()), size(file.upperBounds())));
    return 2 + columns;
  }

  private static int size(Map<Integer, ?> stats) {
    return stats == null ? 0 : stats.size();
  }

  /** Every live data file of the manifest, with its partition and column statistics. */
  private static List<DataFile> read(Table table, ManifestFile manifest) {
    List<DataFile> files = new ArrayList<>();
    try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())) {
      for (DataFile file : reader) {
        files.add(file); // the reader hands out copies, with statistics since no columns are selected
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(files);
  }
}
