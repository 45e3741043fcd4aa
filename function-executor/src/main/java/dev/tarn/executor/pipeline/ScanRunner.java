package dev.tarn.executor.pipeline;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.LakehouseViews.BoundScan;
import dev.tarn.executor.lakehouse.Sql;
import dev.tarn.executor.pipeline.PlannedStep.ScanStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Runs scan steps: binds the table at the run's fork commit to the data files Iceberg's metadata
 * cannot rule out for the input's filter, and makes the step's relation a view over them with only
 * the declared columns and only the rows the filter keeps. Parquet is read when a consumer reads the
 * view; counting its rows for the record reads the filter's columns once and checks the filter early,
 * so a bad filter fails here, naming the table, rather than inside a model.
 *
 * <p>With the {@link ScanCache} on, the view reads the files from the cache instead, after reading
 * the ones the cache lacks into it: the scan's columns of its files are then read when the scan
 * runs, and later scans of the same files and columns read no Parquet.
 */
final class ScanRunner {
  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final SqlInspector sql;
  private final ResolvedReference at;
  private final ScanCache.Lease cache;

  /**
   * @param at the commit every scan of the run reads (the target's head when the run started)
   * @param cache the run's use of the server's scan cache, which may be off
   */
  ScanRunner(BranchCatalog catalog, LakehouseViews views, SqlInspector sql, ResolvedReference at,
      ScanCache.Lease cache) {
    this.catalog = catalog;
    this.views = views;
    this.sql = sql;
    this.at = at;
    this.cache = cache;
  }

  StepOutcome run(ScanStep step, RunDatabase db) {
    TableId id = TableId.of(step.table().schema(), step.table().name());
    Table table = catalog.loadTable(At.commit(at.hash()), id);
    Schema schema = table.schema();
    List<String> columns = step.columns() == null || step.columns().isEmpty() ? null : tableNames(step, schema);
    String filter = step.filter() == null || step.filter().isBlank() ? null : step.filter().strip();
    if (filter != null && SqlText.hasStatementSeparator(filter)) {
      throw new StepFailedException("the filter '" + filter + "' on table " + id + " must be one SQL condition, "
          + "without ';'", null);
    }
    Set<String> filterColumns = filter == null ? Set.of() : FilterColumns.referenced(filter, schema);
    List<String> read = null;
    if (columns != null) {
      Set<String> needed = new LinkedHashSet<>(columns);
      needed.addAll(filterColumns);
      read = new ArrayList<>(needed);
    }
    Expression pruning = filter == null ? null : sql.pruningFilter(filter, schema).orElse(null);
    BoundScan bound = views.bindScan(at, id, pruning, read);
    String source = bound.sql();
    Integer fromCache = null;
    if (cache.enabled()) {
      List<String> locations = bound.files().stream().map(views.files()::locationOf).toList();
      ScanCache.CachedScan cached = cache.read(bound.files(), locations, schema, bound.schema());
      source = cached.sql();
      fromCache = cached.fromCache();
    }

    String projection = columns == null ? "*" : columns.stream().map(Sql::ident).collect(Collectors.joining(", "));
    String select = "SELECT " + projection + " FROM " + source + " AS " + Sql.ident("scan")
        + (filter == null ? "" : " WHERE (" + filter + "\n)");
    long rows;
    try (Connection c = db.connect()) {
      RunDatabase.execute(c, "CREATE VIEW " + db.relation(step.id()) + " AS " + select);
      rows = RunDatabase.count(c, db.relation(step.id()));
    } catch (SQLException e) {
      throw new StepFailedException("the scan of table " + id + (filter == null ? "" : " with filter '" + filter + "'")
          + " failed: " + EngineMessages.of(e.getMessage()), e);
    }
    String detail = detail(columns, filterColumns, filter, bound, table, pruning, fromCache);
    return new StepOutcome(false, rows, null, null, detail, "");
  }

  /** The declared columns under the table's own spelling; an unknown column fails naming the table's columns. */
  private static List<String> tableNames(ScanStep step, Schema schema) {
    List<String> names = new ArrayList<>();
    for (String declared : step.columns()) {
      Types.NestedField field = schema.caseInsensitiveFindField(declared);
      if (field == null || !schema.columns().contains(field)) {
        throw new StepFailedException("table " + step.table() + " has no column '" + declared + "' (its columns: "
            + schema.columns().stream().map(Types.NestedField::name).collect(Collectors.joining(", "))
            + "): fix the columns of the input that reads it", null);
      }
      if (!names.contains(field.name())) {
        names.add(field.name());
      }
    }
    return names;
  }

  /** @param fromCache data files taken from the scan cache, null when the cache is off */
  private static String detail(List<String> columns, Set<String> filterColumns, String filter, BoundScan bound,
      Table table, Expression pruning, Integer fromCache) {
    StringBuilder b = new StringBuilder();
    if (columns == null) {
      b.append("all columns");
    } else {
      b.append("columns ").append(String.join(", ", columns));
      List<String> extra = filterColumns.stream().filter(c -> !columns.contains(c)).toList();
      if (!extra.isEmpty()) {
        b.append(" (and ").append(String.join(", ", extra)).append(" for the filter)");
      }
    }
    if (filter != null) {
      b.append("; filter ").append(filter);
      if (pruning == null) {
        b.append(" (no data files can be skipped by it)");
      }
    }
    b.append("; read ").append(bound.files().size()).append(" of ").append(totalDataFiles(table, pruning, bound))
        .append(" data files");
    if (fromCache != null) {
      b.append(" (").append(fromCache).append(" from cache)");
    }
    return b.toString();
  }

  /** The table's data files at this snapshot: from the snapshot summary, else by planning without a filter. */
  private static long totalDataFiles(Table table, Expression pruning, BoundScan bound) {
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return 0;
    }
    String total = snapshot.summary() == null ? null : snapshot.summary().get("total-data-files");
    if (total != null) {
      try {
        return Long.parseLong(total);
      } catch (NumberFormatException ignored) {
        // counted below
      }
    }
    if (pruning == null) {
      return bound.files().size();
    }
    long count = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask ignored : tasks) {
        count++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }
}
