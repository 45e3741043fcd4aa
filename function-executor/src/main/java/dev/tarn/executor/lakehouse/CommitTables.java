package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.TableId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final Map<TableKey, Table> tables = lru(MAX_TABLES);
  private final Map<PlanKey, List<String>> plans = lru(MAX_PLANS);
  private final Map<TableKey, Boolean> exists = lru(MAX_PLANS);
  private final Map<NamespaceKey, Boolean> namespaces = lru(MAX_TABLES);

  CommitTables(BranchCatalog catalog) {
    this.catalog = catalog;
  }

  /** The table at the commit; throws the catalog's TableNotFoundException when it is not there. */
  Table table(String hash, TableId id) {
    TableKey key = new TableKey(hash, id);
    synchronized (tables) {
      Table known = tables.get(key);
      if (known != null) {
        return known;
      }
    }
    Table loaded = catalog.loadTable(At.commit(hash), id);
    synchronized (tables) {
      tables.put(key, loaded);
    }
    return loaded;
  }

  /** Whether the table exists at the commit (answers are remembered, absent ones too). */
  boolean exists(String hash, TableId id) {
    TableKey key = new TableKey(hash, id);
    synchronized (exists) {
      Boolean known = exists.get(key);
      if (known != null) {
        return known;
      }
    }
    boolean found = catalog.findTable(At.commit(hash), id).isPresent();
    synchronized (exists) {
      exists.put(key, found);
    }
    return found;
  }

  /** Whether the namespace exists at the commit (remembered like tables). */
  boolean namespaceExists(String hash, String namespace) {
    NamespaceKey key = new NamespaceKey(hash, namespace);
    synchronized (namespaces) {
      Boolean known = namespaces.get(key);
      if (known != null) {
        return known;
      }
    }
    boolean found = catalog.namespaceExists(At.commit(hash), namespace);
    synchronized (namespaces) {
      namespaces.put(key, found);
    }
    return found;
  }

  /** The locations of the data files {@code filter} (null: all) keeps in the table at the commit. */
  List<String> dataFileLocations(String hash, TableId id, Expression filter, Function<Table, List<String>> plan) {
    PlanKey key = new PlanKey(hash, id, filter == null ? "" : filter.toString());
    synchronized (plans) {
      List<String> known = plans.get(key);
      if (known != null) {
        return known;
      }
    }
    List<String> planned = List.copyOf(plan.apply(table(hash, id)));
    synchronized (plans) {
      plans.put(key, planned);
    }
    return planned;
  }

  private static <K, V> Map<K, V> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }
}
