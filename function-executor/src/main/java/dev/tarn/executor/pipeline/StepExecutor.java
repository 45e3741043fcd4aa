package dev.tarn.executor.pipeline;

import dev.tarn.executor.pipeline.PlannedStep.ExpectationStep;
import dev.tarn.executor.pipeline.PlannedStep.MaterializeStep;
import dev.tarn.executor.pipeline.PlannedStep.PythonModelStep;
import dev.tarn.executor.pipeline.PlannedStep.ScanStep;
import dev.tarn.executor.pipeline.PlannedStep.SqlModelStep;

/** Runs one step of a run against the run database, with the runner for its kind. */
final class StepExecutor {
  private final RunDatabase db;
  private final ScanRunner scans;
  private final SqlModelRunner sqlModels;
  private final PythonStepRunner python;
  private final Materializer materializer;

  /** @param materializer null for a dry run: materialize steps are then skipped */
  StepExecutor(RunDatabase db, ScanRunner scans, SqlModelRunner sqlModels, PythonStepRunner python,
      Materializer materializer) {
    this.db = db;
    this.scans = scans;
    this.sqlModels = sqlModels;
    this.python = python;
    this.materializer = materializer;
  }

  StepOutcome execute(PlannedStep step) {
    if (step instanceof ScanStep scan) {
      return scans.run(scan, db);
    }
    if (step instanceof SqlModelStep sql) {
      // a SQL model reads scans in DuckDB: their relations over every file, not the cache's hand-off
      // and Python models' outputs as tables, not as the files kept for Python models
      sql.inputs().forEach(input -> {
        scans.ensureView(input.sourceStep(), db);
        python.ensureTable(input.sourceStep(), db);
      });
      return sqlModels.run(sql, db);
    }
    if (step instanceof PythonModelStep model) {
      return python.run(model, db, scans::handOff);
    }
    if (step instanceof ExpectationStep expectation) {
      return python.run(expectation, db, scans::handOff);
    }
    if (step instanceof MaterializeStep materialize) {
      if (materializer == null) {
        return StepOutcome.skipped("dry run: nothing is written");
      }
      python.ensureTable(materialize.model(), db);
      return materializer.run(materialize, db);
    }
    throw new IllegalArgumentException("unknown step " + step);
  }

  /** How a step is named to people: {@code model 'x'}, {@code expectation 'y'}, {@code the scan of table s.t}. */
  static String describe(PlannedStep step) {
    if (step instanceof ScanStep scan) {
      return "the scan of table " + scan.table();
    }
    if (step instanceof SqlModelStep sql) {
      return "model '" + sql.name() + "'";
    }
    if (step instanceof PythonModelStep model) {
      return "model '" + model.name() + "'";
    }
    if (step instanceof ExpectationStep expectation) {
      return "expectation '" + expectation.name() + "'";
    }
    if (step instanceof MaterializeStep materialize) {
      return "the materialization of model '" + materialize.model() + "' as " + materialize.targetTable();
    }
    return step.id();
  }

  /** The step's record before it runs: its kind and the model (or table) it belongs to. */
  static StepRecord pending(PlannedStep step) {
    if (step instanceof ScanStep scan) {
      return StepRecord.pending(step.id(), scan.table().toString(), "scan");
    }
    if (step instanceof SqlModelStep sql) {
      return StepRecord.pending(step.id(), sql.name(), "sql");
    }
    if (step instanceof PythonModelStep model) {
      return StepRecord.pending(step.id(), model.name(), "python");
    }
    if (step instanceof ExpectationStep expectation) {
      return StepRecord.pending(step.id(), expectation.name(), "expectation");
    }
    MaterializeStep materialize = (MaterializeStep) step;
    return StepRecord.pending(step.id(), materialize.model(), "materialize");
  }
}
