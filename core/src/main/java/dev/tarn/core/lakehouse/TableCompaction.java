package dev.tarn.core.lakehouse;

import static dev.tarn.core.arrow.Columns.bigint;
import static dev.tarn.core.arrow.Columns.schema;
import static dev.tarn.core.arrow.Columns.text;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.iceberg.CallingThreadExecutor;
import dev.tarn.core.TarnException;
import dev.tarn.executor.lakehouse.DataFileWriter;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.lakehouse.ScratchTable;
import dev.tarn.sql.ColumnFilter;
import dev.tarn.sql.SqlPosition;
import dev.tarn.sql.TableReference;
import dev.tarn.sql.command.OptimizeTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code OPTIMIZE TABLE t [WHERE ...]}: the table's small data files (under {@link
 * #SMALL_FILE_BYTES}; with a WHERE, only those whose statistics say they may hold a row it accepts)
 * are read into a scratch table and written again as few large files, and one commit on the table's
 * branch replaces the first by the second. No row changes: the rows written are exactly the rows
 * read, counted before the commit. Fewer than two such files leave nothing to do and make no commit.
 *
 * <p>The commit is a compaction step of the catalog: it lands on a head where others only appended
 * to the table since the files were read (their files stay); any other change to the table makes it
 * a conflict, and nothing is committed.
 */
final class TableCompaction {
  /** Data files smaller than this are rewritten. */
  static final long SMALL_FILE_BYTES = Lakehouse.SMALL_FILE_BYTES;

  static final Schema RESULT = schema(text("table"), bigint("files_before"), bigint("files_after"), bigint("rows"));

  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final TableWrites writes;

  TableCompaction(BranchCatalog catalog, LakehouseViews views, TableWrites writes) {
    this.catalog = catalog;
    this.views = views;
    this.writes = writes;
  }

  /** Compacts the table; the answer is one row: table, files_before, files_after, rows (rows rewritten). */
  CommandResult optimize(OptimizeTable command, String statementText, TableWrites.Context context) {
    TableWrites.Target target = writes.existingTarget(
        new TableReference(command.nameParts(), SqlPosition.at(1, 1)), context);
    Table table = catalog.loadTable(TableResolver.pinned(target.branch()), target.id());
    List<DataFile> files = dataFiles(table, target, Expressions.alwaysTrue());
    java.util.Set<String> picked = new java.util.HashSet<>();
    (command.where().isEmpty() ? files : dataFiles(table, target, condition(command, table, target)))
        .forEach(f -> picked.add(f.location()));
    List<DataFile> small = files.stream()
        .filter(f -> f.fileSizeInBytes() < SMALL_FILE_BYTES && picked.contains(f.location())).toList();
    String name = target.id().toString();
    if (small.size() < 2) {
      return answer(name, files.size(), files.size(), 0);
    }
    List<String> locations = small.stream().map(DataFile::location).toList();
    long expectedRows = small.stream().mapToLong(DataFile::recordCount).sum();
    return context.engine().withConnection(c -> {
      List<String> local = views.files().localPathsFor(locations);
      try (ScratchTable scratch = ScratchTable.loadedWith(c, target.id().name(), table.schema(), local)) {
        long rows = scratch.count();
        if (rows != expectedRows) {
          // the files hold other rows than their metadata says: rewriting them could change data
          throw new IllegalStateException("OPTIMIZE TABLE " + name + ": its small files hold "
              + rows + " rows but the table's metadata counts " + expectedRows + "; nothing was changed");
        }
        List<DataFileSpec> added = new DataFileWriter(c, views.files()).compressionOf(table)
            .write(scratch.selectRows(), table.schema(), table.spec(), table.location() + "/data");
        ChangeSet changes = ChangeSet.on(target.branch().name()).expectedHash(target.branch().hash())
            .compactFiles(target.id(), locations, added)
            .message(statementText.strip()).author(context.user());
        writes.commitFiles(changes, added, context);
        return answer(name, files.size(), files.size() - small.size() + added.size(), rows);
      }
    });
  }

  /**
   * The condition of {@code OPTIMIZE ... WHERE} as an Iceberg filter: a file is picked when its
   * partition values and column statistics say it may hold a row the condition accepts. Every
   * comparison must name a column of the table and a constant of its type.
   */
  private static Expression condition(OptimizeTable command, Table table, TableWrites.Target target) {
    Expression all = Expressions.alwaysTrue();
    for (ColumnFilter filter : command.where()) {
      if (table.schema().caseInsensitiveFindField(filter.column()) == null) {
        throw new TarnException(TarnException.Kind.INVALID_ARGUMENT, "OPTIMIZE TABLE " + target.id()
            + " WHERE: the table has no column " + filter.column());
      }
      Expression one = ScanPruning.toIceberg(filter, table.schema()).orElseThrow(() -> new TarnException(
          TarnException.Kind.INVALID_ARGUMENT, "OPTIMIZE TABLE " + target.id() + " WHERE: cannot compare column "
              + filter.column() + " (" + table.schema().caseInsensitiveFindField(filter.column()).type()
              + ") with " + filter.values().stream().map(ColumnFilter.Literal::text).toList()
              + "; use constants of the column's type"));
      all = Expressions.and(all, one);
    }
    return all;
  }

  /**
   * The table's current data files that may hold rows {@code filter} accepts. A table another engine
   * wrote delete files for is refused: its files' rows are not all live, and rewritten files would
   * escape equality deletes' sequence numbers.
   */
  private static List<DataFile> dataFiles(Table table, TableWrites.Target target, Expression filter) {
    List<DataFile> files = new ArrayList<>();
    if (table.currentSnapshot() == null) {
      return files;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter)
        .planWith(CallingThreadExecutor.INSTANCE).planFiles()) {
      for (FileScanTask task : tasks) {
        if (!task.deletes().isEmpty()) {
          throw new TarnException(TarnException.Kind.UNIMPLEMENTED, "OPTIMIZE TABLE " + target.id()
              + ": the table has delete files (written by another engine); OPTIMIZE does not rewrite such"
              + " tables yet");
        }
        files.add(task.file());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  private static CommandResult answer(String table, long before, long after, long rows) {
    List<Object[]> row = new ArrayList<>();
    row.add(new Object[] {table, before, after, rows});
    return new CommandResult(RESULT, row);
  }
}
