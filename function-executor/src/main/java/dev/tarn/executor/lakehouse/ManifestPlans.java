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
import org.apache.iceberg.expressions.ExpressionParser;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.Projections;

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
 * <p>A filter keeps the files Iceberg's manifest reader keeps for it: those whose partition (the
 * filter projected through the manifest's partition spec) and column bounds may match, both bound
 * to the table's current schema, as {@code ManifestReader#filterRows} binds them. Binding happens
 * for each plan, so the memo holds nothing that depends on a schema. A snapshot with delete
 * manifests is not planned here (see {@link #dataFiles}).
 */
final class ManifestPlans {
  /** Iceberg's scans match column names exactly unless told otherwise; so do these plans. */
  private static final boolean CASE_SENSITIVE = true;

  /**
   * Column statistics remembered at most (a file counts its columns with statistics, at least one).
   * A column's counts and bounds take a few hundred bytes, so this is some tens of MB: 6,000 files
   * of 16 columns. A manifest beyond it is read again when planned.
   */
  private static final long MAX_COLUMN_STATS = 100_000;

  private final Cache<String, List<DataFile>> manifests = Caffeine.newBuilder()
      .maximumWeight(MAX_COLUMN_STATS)
      .weigher((String location, List<DataFile> files) -> files.stream().mapToInt(ManifestPlans::weight).sum())
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
      List<DataFile> files = manifests.get(manifest.path(), location -> read(table, manifest));
      if (filter == null) {
        planned.addAll(files);
        continue;
      }
      FileFilter kept = filters.computeIfAbsent(manifest.partitionSpecId(),
          specId -> FileFilter.of(table.specs().get(specId), filter));
      for (DataFile file : files) {
        if (kept.mayMatch(file)) {
          planned.add(file);
        }
      }
    }
    return Optional.of(planned);
  }

  /**
   * A filter (null: none) as a cache key. Its JSON form, since its {@code toString()} prints string
   * literals unescaped: {@code s IN ('a", "b')} and {@code s IN ('a', 'b')} print alike.
   */
  static String filterKey(Expression filter) {
    return filter == null ? "" : ExpressionParser.toJson(filter);
  }

  /** Forgets every manifest (after housekeeping removed files). */
  void clear() {
    manifests.invalidateAll();
  }

  /** A filter bound for the files of one partition spec, as Iceberg's manifest reader binds it. */
  private record FileFilter(Evaluator partition, InclusiveMetricsEvaluator bounds) {
    static FileFilter of(PartitionSpec spec, Expression filter) {
      return new FileFilter(
          new Evaluator(spec.partitionType(), Projections.inclusive(spec, CASE_SENSITIVE).project(filter), CASE_SENSITIVE),
          new InclusiveMetricsEvaluator(spec.schema(), filter, CASE_SENSITIVE));
    }

    boolean mayMatch(DataFile file) {
      return partition.eval(file.partition()) && bounds.eval(file);
    }
  }

  private static int weight(DataFile file) {
    return 1 + (file.valueCounts() == null ? 0 : file.valueCounts().size());
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
