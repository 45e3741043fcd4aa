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
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/**
 * Writes a model's table from the run database as an Iceberg table on the run's branch, replacing a
 * table of that name: one commit per materialization (the final merge makes them one commit on the
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
      Schema schema = IcebergTypes.toSchema(IcebergTypes.describe(c, rows));
      String location = catalog.newTableLocation(id);
      List<DataFileSpec> files = new DataFileWriter(c, views.files())
          .write(rows, schema, PartitionSpec.unpartitioned(), location + "/data");
      try {
        commit(id, schema, location, files, step.model());
      } catch (RuntimeException e) {
        DataFileWriter.deleteQuietly(files, views.files());
        throw e;
      }
      long written = files.stream().mapToLong(DataFileSpec::recordCount).sum();
      return new StepOutcome(false, written, id.toString(), null,
          "wrote " + files.size() + " data file" + (files.size() == 1 ? "" : "s") + " on branch " + runBranch, "");
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
