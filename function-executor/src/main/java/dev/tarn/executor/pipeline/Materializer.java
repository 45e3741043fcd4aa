package dev.tarn.executor.pipeline;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.DataFileSpec;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableAction;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.lakehouse.DataFileWriter;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.pipeline.PlannedStep.MaterializeStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import dev.tarn.executor.lakehouse.Sql;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * Writes a model's table from the run database as an Iceberg table on the run's branch: {@link
 * Materialization#REPLACE} replaces a table of that name, {@link Materialization#APPEND} adds the rows
 * to it (creating it when absent): one commit per materialization (the final merge makes them one commit on the
 * target). Data files are written concurrently; commits to the run branch are taken one at a time so
 * each lands on the head it was prepared against.
 */
final class Materializer {
  private final BranchCatalog catalog;
  private final LakehouseViews views;
  private final String runBranch;
  private final String runId;
  private final String author;
  private final Object commits = new Object();

  Materializer(BranchCatalog catalog, LakehouseViews views, String runBranch, String runId, String author) {
    this.catalog = catalog;
    this.views = views;
    this.runBranch = runBranch;
    this.runId = runId;
    this.author = author;
  }

  StepOutcome run(MaterializeStep step, RunDatabase db) {
    TableId id = TableId.of(step.targetTable().schema(), step.targetTable().name());
    String rows = "SELECT * FROM " + db.relation(step.model());
    try (Connection c = db.connect()) {
      Optional<Table> existing = step.mode() == Materialization.APPEND ? appendTarget(id) : Optional.empty();
      Schema schema;
      String location;
      PartitionSpec spec;
      if (existing.isPresent()) {
        Table table = existing.get();
        schema = table.schema();
        location = table.location();
        spec = table.spec();
        rows = appendedRows(c, rows, schema, step.model(), id);
      } else {
        schema = IcebergTypes.toSchema(IcebergTypes.describe(c, rows));
        location = catalog.newTableLocation(id);
        spec = PartitionSpec.unpartitioned();
      }
      List<DataFileSpec> files = new DataFileWriter(c, views.files()).write(rows, schema, spec, location + "/data");
      try {
        if (existing.isPresent()) {
          commitAppend(id, files, step.model());
        } else {
          commit(id, schema, location, files, step.model());
        }
      } catch (RuntimeException e) {
        DataFileWriter.deleteQuietly(files, views.files());
        throw e;
      }
      long written = files.stream().mapToLong(DataFileSpec::recordCount).sum();
      String how = existing.isPresent() ? "appended: " : step.mode() == Materialization.APPEND ? "created: " : "";
      return new StepOutcome(false, written, id.toString(), null,
          how + "wrote " + files.size() + " data file" + (files.size() == 1 ? "" : "s") + " on branch " + runBranch, "");
    } catch (SQLException e) {
      throw new StepFailedException("materializing model '" + step.model() + "' as " + id + " failed: "
          + EngineMessages.of(e.getMessage()), e);
    } catch (RuntimeException e) {
      if (e instanceof StepFailedException) {
        throw e;
      }
      throw new StepFailedException("materializing model '" + step.model() + "' as " + id + " failed: "
          + e.getMessage(), e);
    }
  }

  /** The table an APPEND adds to, as the run branch has it now; empty when there is none yet. */
  private Optional<Table> appendTarget(TableId id) {
    ResolvedReference head = catalog.resolve(At.branch(runBranch));
    if (catalog.findTable(At.commit(head.hash()), id).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(catalog.loadTable(At.commit(head.hash()), id));
  }

  /**
   * The model's rows in the table's column order, matched by name: an APPEND must bring exactly the
   * table's columns, with types that fit them.
   */
  private static String appendedRows(Connection c, String rows, Schema table, String model, TableId id)
      throws SQLException {
    List<IcebergTypes.Column> output = IcebergTypes.describe(c, rows);
    Set<String> tableColumns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    table.columns().forEach(f -> tableColumns.add(f.name()));
    Set<String> outputColumns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    output.forEach(col -> outputColumns.add(col.name()));
    List<String> missing = table.columns().stream().map(Types.NestedField::name)
        .filter(n -> !outputColumns.contains(n)).toList();
    List<String> extra = output.stream().map(IcebergTypes.Column::name).filter(n -> !tableColumns.contains(n)).toList();
    if (!missing.isEmpty() || !extra.isEmpty()) {
      throw new StepFailedException("model '" + model + "' appends to " + id + ", whose columns are "
          + table.columns().stream().map(Types.NestedField::name).toList() + ", but its output "
          + (missing.isEmpty() ? "" : "lacks " + missing) + (missing.isEmpty() || extra.isEmpty() ? "" : " and ")
          + (extra.isEmpty() ? "" : "has columns the table does not have: " + extra)
          + ": APPEND adds rows of the same columns (use REPLACE to change the table's columns)", null);
    }
    try {
      IcebergTypes.checkAppendable(output, table, id.toString());
    } catch (RuntimeException e) {
      throw new StepFailedException("model '" + model + "' cannot append to " + id + ": " + e.getMessage(), e);
    }
    return "SELECT " + table.columns().stream().map(f -> Sql.ident(f.name())).collect(Collectors.joining(", "))
        + " FROM (" + rows + ")";
  }

  private void commitAppend(TableId id, List<DataFileSpec> files, String model) {
    if (files.isEmpty()) {
      return; // no rows: nothing to add
    }
    synchronized (commits) {
      ResolvedReference head = catalog.resolve(At.branch(runBranch));
      catalog.commit(ChangeSet.on(runBranch).expectedHash(head.hash())
          .message("pipeline run " + runId + ": append model " + model + " to " + id)
          .author(author)
          .appendFiles(id, files));
    }
  }

  private void commit(TableId id, Schema schema, String location, List<DataFileSpec> files, String model) {
    synchronized (commits) {
      ResolvedReference head = catalog.resolve(At.branch(runBranch));
      boolean exists = catalog.findTable(At.commit(head.hash()), id).isPresent();
      ChangeSet changes = ChangeSet.on(runBranch).expectedHash(head.hash())
          .message("pipeline run " + runId + ": materialize model " + model + " as " + id)
          .author(author)
          .createNamespace(id.namespace(), true);
      if (exists) {
        changes.dropTable(id, true);
      }
      changes.createTable(id, schema, PartitionSpec.unpartitioned(),
          Map.of(TableAction.CreateTable.LOCATION_PROPERTY, location), false);
      if (!files.isEmpty()) {
        changes.appendFiles(id, files);
      }
      catalog.commit(changes);
    }
  }
}
