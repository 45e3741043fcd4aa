package dev.tarn.executor.lakehouse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.TableId;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;

/**
 * Iceberg tables and their scan plans at a commit, remembered: a commit never changes, so neither
 * does a table's metadata or the data files a filter keeps there. Without this every statement
 * read each table's metadata and manifests again, twice (at prepare and at execute), which was most
 * of Tarn's fixed cost per query (benchmarks/README.md, B2). Each memo is a bounded Caffeine cache:
 * a key is loaded once while others asking for it wait, and the entries least likely to be asked
 * for again are dropped first. Failed loads (a missing table) are not remembered.
 */
final class CommitTables {
  private static final int MAX_TABLES = 512;
  private static final int MAX_PLANS = 2048;

  private record TableKey(String hash, TableId table) {}

  private record NamespaceKey(String hash, String namespace) {}

  /** A filter is keyed by its text: Iceberg prints every predicate with its column and literal. */
  private record PlanKey(String hash, TableId table, String filter) {}

  private final BranchCatalog catalog;
  private final Cache<TableKey, Table> tables = Caffeine.newBuilder().maximumSize(MAX_TABLES).build();
  private final Cache<PlanKey, PlannedFiles> plans = Caffeine.newBuilder().maximumSize(MAX_PLANS).build();
  private final Cache<TableKey, Boolean> exists = Caffeine.newBuilder().maximumSize(MAX_PLANS).build();
  private final Cache<NamespaceKey, Boolean> namespaces = Caffeine.newBuilder().maximumSize(MAX_TABLES).build();

  CommitTables(BranchCatalog catalog) {
    this.catalog = catalog;
  }

  /** The table at the commit; throws the catalog's TableNotFoundException when it is not there. */
  Table table(String hash, TableId id) {
    return tables.get(new TableKey(hash, id), key -> catalog.loadTable(At.commit(hash), id));
  }

  /** Whether the table exists at the commit (answers are remembered, absent ones too). */
  boolean exists(String hash, TableId id) {
    return exists.get(new TableKey(hash, id), key -> catalog.findTable(At.commit(hash), id).isPresent());
  }

  /** Whether the namespace exists at the commit (remembered like tables). */
  boolean namespaceExists(String hash, String namespace) {
    return namespaces.get(new NamespaceKey(hash, namespace),
        key -> catalog.namespaceExists(At.commit(hash), namespace));
  }

  /** The data files {@code filter} (null: all) keeps in the table at the commit. */
  PlannedFiles dataFiles(String hash, TableId id, Expression filter, Function<Table, PlannedFiles> plan) {
    // the table is loaded only when the plan is not known (a plan can outlive its table in memory);
    // a load may use another of these caches, never its own
    return plans.get(new PlanKey(hash, id, filter == null ? "" : filter.toString()),
        key -> plan.apply(table(hash, id)));
  }

  /** Forgets everything remembered: after files were removed, commits are read again from the catalog. */
  void clear() {
    tables.invalidateAll();
    plans.invalidateAll();
    exists.invalidateAll();
    namespaces.invalidateAll();
  }
}
