package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.BoundedMemo;
import java.util.List;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;

/**
 * Iceberg tables and their scan plans at a commit, remembered: a commit never changes, so neither
 * does a table's metadata or the data files a filter keeps there. Without this every statement
 * read each table's metadata and manifests again, twice (at prepare and at execute), which was most
 * of Tarn's fixed cost per query (benchmarks/README.md, B2). Bounded, least recently used first out.
 */
final class CommitTables {
  private static final int MAX_TABLES = 512;
  private static final int MAX_PLANS = 2048;

  private record TableKey(String hash, TableId table) {}

  private record NamespaceKey(String hash, String namespace) {}

  /** A filter is keyed by its text: Iceberg prints every predicate with its column and literal. */
  private record PlanKey(String hash, TableId table, String filter) {}

  private final BranchCatalog catalog;
  private final BoundedMemo<TableKey, Table> tables = new BoundedMemo<>(MAX_TABLES);
  private final BoundedMemo<PlanKey, List<String>> plans = new BoundedMemo<>(MAX_PLANS);
  private final BoundedMemo<TableKey, Boolean> exists = new BoundedMemo<>(MAX_PLANS);
  private final BoundedMemo<NamespaceKey, Boolean> namespaces = new BoundedMemo<>(MAX_TABLES);

  CommitTables(BranchCatalog catalog) {
    this.catalog = catalog;
  }

  /** The table at the commit; throws the catalog's TableNotFoundException when it is not there. */
  Table table(String hash, TableId id) {
    return tables.get(new TableKey(hash, id), () -> catalog.loadTable(At.commit(hash), id));
  }

  /** Whether the table exists at the commit (answers are remembered, absent ones too). */
  boolean exists(String hash, TableId id) {
    return exists.get(new TableKey(hash, id), () -> catalog.findTable(At.commit(hash), id).isPresent());
  }

  /** Whether the namespace exists at the commit (remembered like tables). */
  boolean namespaceExists(String hash, String namespace) {
    return namespaces.get(new NamespaceKey(hash, namespace),
        () -> catalog.namespaceExists(At.commit(hash), namespace));
  }

  /** The locations of the data files {@code filter} (null: all) keeps in the table at the commit. */
  List<String> dataFileLocations(String hash, TableId id, Expression filter, Function<Table, List<String>> plan) {
    return plans.get(new PlanKey(hash, id, filter == null ? "" : filter.toString()),
        () -> List.copyOf(plan.apply(table(hash, id))));
  }
}
