package dev.tarn.executor.pipeline;

import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
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
 * <p>With the {@link ScanCache} on, the data files every row of which the filter keeps are taken
 * from the cache (read into it when missing) and handed to Python models as they are; only the
 * other files are read through DuckDB with the filter (see {@link #runCached}).
 */
final class ScanRunner {
  /** A cached scan's relation of the files not taken from the cache: the step's id with this suffix. */
  private static final String REST_SUFFIX = "__not_cached";

  private final LakehouseViews views;
  private final SqlInspector sql;
  private final ResolvedReference at;
  private final ScanCache.Lease cache;
  private final Map<String, ScanHandOff> handOffs = new ConcurrentHashMap<>();
  /** The relations of cached scans no SQL model has read yet: step id to its SELECT. */
  private final Map<String, String> deferredViews = new ConcurrentHashMap<>();

  /**
   * @param at the commit every scan of the run reads (the target's head when the run started)
   * @param cache the run's use of the server's scan cache, which may be off
   */
  ScanRunner(LakehouseViews views, SqlInspector sql, ResolvedReference at, ScanCache.Lease cache) {
    this.views = views;
    this.sql = sql;
    this.at = at;
    this.cache = cache;
  }

  StepOutcome run(ScanStep step, RunDatabase db) {
    TableId id = TableId.of(step.table().schema(), step.table().name());
    Table table = views.table(at, id);
    Schema schema = table.schema();
    List<String> columns = step.columns() == null || step.columns().isEmpty() ? null : tableNames(step, schema);
    String filter = step.filter() == null || step.filter().isBlank() ? null : step.filter().strip();
    if (filter != null) {
      try (Connection c = db.connect()) {
        SqlText.checkFilter(c, filter, "table " + id);
      } catch (SQLException e) {
        throw failed(id, filter, e);
      }
    }
    Set<String> filterColumns = filter == null ? Set.of() : FilterColumns.referenced(sql, filter, schema);
    List<String> read = null;
    if (columns != null) {
      Set<String> needed = new LinkedHashSet<>(columns);
      needed.addAll(filterColumns);
      read = new ArrayList<>(needed);
    }
    Expression pruning = filter == null ? null : sql.pruningFilter(filter, schema).orElse(null);
    if (cache.enabled()) {
      return runCached(step, id, table, columns, filter, filterColumns, read, pruning, db);
    }
    BoundScan bound = views.bindScan(at, id, pruning, read);
    String select = select(columns, bound.sql(), filter);
    long rows;
    try (Connection c = db.connect()) {
      RunDatabase.execute(c, "CREATE VIEW " + db.relation(step.id()) + " AS " + select);
      rows = RunDatabase.count(c, db.relation(step.id()));
    } catch (SQLException e) {
      throw failed(id, filter, e);
    }
    String detail = detail(columns, filterColumns, filter, bound.files().size(), table, pruning, null);
    return new StepOutcome(false, rows, null, null, detail, "");
  }

  /**
   * A scan with the cache on. The data files every row of which the filter keeps come from the cache
   * (read into it first when missing) for Python models; a view over the other files, with the
   * filter, holds the rest. The step's own relation, over every file as without the cache, is created
   * only when a SQL model reads it ({@link #ensureView}), so a scan served from the cache opens no
   * Parquet. Its row count is the cached files' rows plus the rest's, which also checks the filter.
   */
  private StepOutcome runCached(ScanStep step, TableId id, Table table, List<String> columns, String filter,
      Set<String> filterColumns, List<String> read, Expression pruning, RunDatabase db) {
    Schema schema = table.schema();
    Schema readSchema = inTableOrder(schema, read == null ? schema : schema.select(read));
    List<Types.NestedField> handed = columns == null ? schema.columns()
        : columns.stream().map(schema::findField).toList();
    // an exact filter shows by metadata alone which files it keeps whole, and skips no fewer files
    Expression exact = filter == null ? null : sql.exactFilter(filter, schema).orElse(null);
    Expression planned = exact != null ? exact : pruning;
    List<FileScanTask> tasks = plan(table, planned, id);
    Map<String, String> localPaths = new LinkedHashMap<>();
    tasks.forEach(t -> localPaths.put(t.file().location(), views.files().localPathFor(t.file().location())));
    String rest = db.relation(step.id() + REST_SUFFIX);
    List<ScanCache.CachedFile> cached = new ArrayList<>();
    List<String> restFiles = new ArrayList<>();
    int fromCache = 0;
    long rows = 0;
    try (Connection c = db.connect()) {
      Set<String> whole = filter == null ? localPaths.keySet()
          : exact != null ? FullyMatchedFiles.byMetadata(tasks, schema, exact) : Set.of();
      List<ScanCache.Wanted> wanted = new ArrayList<>();
      for (Map.Entry<String, String> file : localPaths.entrySet()) {
        if (whole.contains(file.getKey())) {
          wanted.add(new ScanCache.Wanted(file.getKey(), file.getValue()));
        } else {
          restFiles.add(file.getValue());
        }
      }
      for (ScanCache.CachedFile f : cache.takeAll(wanted, new Schema(handed), schema)) {
        cached.add(f);
        rows += f.rows();
        fromCache += f.fromCache() ? 1 : 0;
      }
      RunDatabase.execute(c, "CREATE VIEW " + rest + " AS "
          + select(columns, "(" + LakehouseViews.selectSql(readSchema, restFiles) + ")", filter));
      rows += RunDatabase.count(c, rest);
    } catch (SQLException e) {
      throw failed(id, filter, e);
    }
    // with nothing from the cache the rest is the whole scan, however many files it reads
    handOffs.put(step.id(), new ScanHandOff(cached, handed, restFiles.isEmpty() && !cached.isEmpty() ? null : rest));
    deferredViews.put(step.id(), select(columns,
        "(" + LakehouseViews.selectSql(readSchema, List.copyOf(localPaths.values())) + ")", filter));
    String detail = detail(columns, filterColumns, filter, tasks.size(), table, planned, fromCache);
    return new StepOutcome(false, rows, null, null, detail, "");
  }

  /** How a Python model receives a scan step's rows with the cache on; null when it reads the step's relation. */
  ScanHandOff handOff(String stepId) {
    return handOffs.get(stepId);
  }

  /**
   * Creates a cached scan's relation over all its files, for a consumer that reads it in DuckDB (a
   * SQL model); nothing for other steps or when it exists already.
   */
  synchronized void ensureView(String stepId, RunDatabase db) {
    String select = deferredViews.remove(stepId);
    if (select == null) {
      return;
    }
    try (Connection c = db.connect()) {
      RunDatabase.execute(c, "CREATE VIEW " + db.relation(stepId) + " AS " + select);
    } catch (SQLException e) {
      deferredViews.put(stepId, select);
      throw new StepFailedException("reading the scan " + stepId + " failed: " + EngineMessages.of(e.getMessage()),
          e);
    }
  }

  private static String select(List<String> columns, String source, String filter) {
    String projection = columns == null ? "*" : columns.stream().map(Sql::ident).collect(Collectors.joining(", "));
    return "SELECT " + projection + " FROM " + source + " AS " + Sql.ident("scan")
        + (filter == null ? "" : SqlText.where(filter));
  }

  private static StepFailedException failed(TableId id, String filter, SQLException e) {
    return new StepFailedException("the scan of table " + id + (filter == null ? "" : " with filter '" + filter + "'")
        + " failed: " + EngineMessages.of(e.getMessage()), e);
  }

  /** The fields of {@code selected} in the table's column order, as a scan reads them. */
  private static Schema inTableOrder(Schema schema, Schema selected) {
    List<Types.NestedField> ordered = new ArrayList<>();
    for (Types.NestedField f : schema.columns()) {
      if (selected.findField(f.fieldId()) != null) {
        ordered.add(f);
      }
    }
    return new Schema(ordered);
  }

  /**
   * The files a scan with this filter reads, each with the part of the filter its partition leaves
   * open and its column bounds and counts, which tell the files the filter keeps whole.
   */
  private static List<FileScanTask> plan(Table table, Expression pruning, TableId id) {
    if (table.currentSnapshot() == null) {
      return List.of();
    }
    TableScan scan = table.newScan().planWith(CallingThreadExecutor.INSTANCE).includeColumnStats();
    if (pruning != null) {
      scan = scan.filter(pruning);
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
      for (FileScanTask task : planned) {
        if (!task.deletes().isEmpty()) {
          throw new StepFailedException("table " + id + " has row-level delete files (written by another engine); "
              + "Tarn cannot read them yet", null);
        }
        tasks.add(task);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
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
  private static String detail(List<String> columns, Set<String> filterColumns, String filter, int filesRead,
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
    b.append("; read ").append(filesRead).append(" of ").append(totalDataFiles(table, pruning, filesRead))
        .append(" data files");
    if (fromCache != null) {
      b.append(" (").append(fromCache).append(" from cache)");
    }
    return b.toString();
  }

  /** The table's data files at this snapshot: from the snapshot summary, else by planning without a filter. */
  private static long totalDataFiles(Table table, Expression pruning, int filesRead) {
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
      return filesRead;
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
