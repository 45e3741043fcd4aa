package dev.tarn.executor.lakehouse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.TableEntry;
import dev.tarn.catalog.TableId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ExpressionParser;

/**
 * Iceberg tables and their scan plans, remembered. A commit never changes, so which metadata file
 * a table has at a commit is remembered by commit; a metadata file never changes either, so the
 * table it describes and the data files a filter keeps there are remembered by that file. A commit
 * that leaves a table alone keeps its metadata file, so the table's first read after someone else's
 * commit reuses them instead of reading its metadata and manifests again: per statement, that was
 * most of Tarn's fixed cost per query (benchmarks/README.md, B2), and after each commit, 5 to 15 ms
 * per table read. Each memo is a bounded Caffeine cache: a key is loaded once while others asking
 * for it wait, and the entries least likely to be asked for again are dropped first. Failed loads
 * (a missing table) are not remembered.
 */
final class CommitTables {
  private static final int MAX_TABLES = 512;
  private static final int MAX_ENTRIES = 2048;
  /**
   * The most file names the remembered plans hold together, about 100 MB: a plan of a table of a
   * hundred thousand files weighs as much as a hundred thousand plans of one file.
   */
  private static final long MAX_PLANNED_FILES = 500_000;

  private record TableKey(String hash, TableId table) {}

  private record NamespaceKey(String hash, String namespace) {}

  /** A filter is keyed by its JSON form ({@link #filterKey}). */
  private record PlanKey(String metadataLocation, String filter) {}

  private final BranchCatalog catalog;
  /** What the catalog holds under a name at a commit (absent answers too). */
  private final Cache<TableKey, Optional<TableEntry>> entries =
      Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();
  /** Tables by metadata file location. */
  private final Cache<String, Table> tables = Caffeine.newBuilder().maximumSize(MAX_TABLES).build();
  private final Cache<PlanKey, PlannedFiles> plans = Caffeine.newBuilder()
      .maximumWeight(MAX_PLANNED_FILES)
      .<PlanKey, PlannedFiles>weigher((key, plan) -> 1 + plan.files().size())
      .build();
  private final Cache<NamespaceKey, Boolean> namespaces = Caffeine.newBuilder().maximumSize(MAX_TABLES).build();
  private final ManifestPlans manifests = new ManifestPlans();

  CommitTables(BranchCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The table at the commit; throws the catalog's TableNotFoundException when it is not there. The
   * table may have been loaded at another commit with the same metadata file: it reads the same
   * (schema, snapshots, files), only its name tells the commit it was first loaded at.
   */
  Table table(String hash, TableId id) {
    Optional<TableEntry> entry = entry(hash, id);
    if (entry.isEmpty()) {
      return catalog.loadTable(At.commit(hash), id);
    }
    return tables.get(entry.get().metadataLocation(), location -> catalog.loadTable(At.commit(hash), id));
  }

  /** Whether the table exists at the commit (answers are remembered, absent ones too). */
  boolean exists(String hash, TableId id) {
    return entry(hash, id).isPresent();
  }

  /** Whether the namespace exists at the commit (remembered like tables). */
  boolean namespaceExists(String hash, String namespace) {
    return namespaces.get(new NamespaceKey(hash, namespace),
        key -> catalog.namespaceExists(At.commit(hash), namespace));
  }

  /** The data files {@code filter} (null: all) keeps in the table at the commit. */
  PlannedFiles dataFiles(String hash, TableId id, Expression filter, Function<Table, PlannedFiles> plan) {
    Optional<TableEntry> entry = entry(hash, id);
    if (entry.isEmpty()) {
      return plan.apply(table(hash, id)); // throws the catalog's TableNotFoundException
    }
    // the table is loaded only when the plan is not known (a plan can outlive its table in memory);
    // a load may use another of these caches, never its own
    return plans.get(new PlanKey(entry.get().metadataLocation(), filterKey(filter)),
        key -> plan.apply(table(hash, id)));
  }

  /**
   * The live data files of the table's current snapshot that {@code filter} (null: all) may match,
   * read from the manifests a commit wrote and remembered for the ones it kept (see {@link
   * ManifestPlans}); empty when only Iceberg's own scan can plan the table.
   */
  Optional<List<DataFile>> manifestFiles(Table table, Expression filter) {
    return manifests.dataFiles(table, filter);
  }

  /**
   * A filter (null: none) as a cache key. Its JSON form, since its {@code toString()} prints string
   * literals unescaped: {@code s IN ('a", "b')} and {@code s IN ('a', 'b')} print alike.
   */
  private static String filterKey(Expression filter) {
    return filter == null ? "" : ExpressionParser.toJson(filter);
  }

  private Optional<TableEntry> entry(String hash, TableId id) {
    return entries.get(new TableKey(hash, id), key -> catalog.findTable(At.commit(hash), id));
  }

  /**
   * Forgets everything remembered: after files were removed, commits are read again from the
   * catalog, which says when a table's metadata file is gone.
   */
  void clear() {
    entries.invalidateAll();
    tables.invalidateAll();
    plans.invalidateAll();
    namespaces.invalidateAll();
    manifests.clear();
  }
}
