package dev.tarn.executor.pipeline;

import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.lakehouse.Sql;
import dev.tarn.executor.pipeline.PlannedStep.Input;
import dev.tarn.executor.pipeline.PlannedStep.SqlModelStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs SQL models: {@code CREATE TABLE} of the model's relation in the run database from the
 * model's query.
 *
 * <p>The query sees exactly its inputs, under the names it wrote: for each model a scope catalog
 * {@code <run database>_sql_<model>} is attached with one view per input ({@code transactions} in
 * the project schema, {@code raw.transactions} in {@code raw}, an upstream model in the project
 * schema), each over the producing step's relation, and the query runs with the project schema of
 * that catalog as the current schema. Lakehouse tables and models never share a namespace, so a
 * model named like a table of the project schema cannot shadow what another model reads.
 */
final class SqlModelRunner {
  private final String projectSchema;

  SqlModelRunner(String projectSchema) {
    this.projectSchema = projectSchema;
  }

  StepOutcome run(SqlModelStep step, RunDatabase db) {
    String scope = db.name() + "_sql_" + step.name();
    try (Connection c = db.connect()) {
      SqlText.checkModel(c, "SQL model '" + step.name() + "' (" + step.file().getFileName() + ")", step.sql());
      RunDatabase.execute(c, "ATTACH ':memory:' AS " + Sql.ident(scope));
      try {
        Map<TableName, String> visible = visibleNames(step);
        RunDatabase.execute(c, "CREATE SCHEMA IF NOT EXISTS " + Sql.ident(scope) + "." + Sql.ident(projectSchema));
        for (Map.Entry<TableName, String> input : visible.entrySet()) {
          TableName name = input.getKey();
          RunDatabase.execute(c, "CREATE SCHEMA IF NOT EXISTS " + Sql.ident(scope) + "." + Sql.ident(name.schema()));
          RunDatabase.execute(c, "CREATE OR REPLACE VIEW " + Sql.qualified(scope, name.schema(), name.name())
              + " AS SELECT * FROM " + db.relation(input.getValue()));
        }
        RunDatabase.execute(c, "USE " + Sql.ident(scope) + "." + Sql.ident(projectSchema));
        // the query on lines of its own: a trailing line comment must not swallow anything after it
        createTable(c, "CREATE TABLE " + db.relation(step.id()) + " AS\n" + step.sql() + "\n", step);
        return StepOutcome.rows(RunDatabase.count(c, db.relation(step.id())));
      } finally {
        // the scope must not stay the current catalog while it is detached
        RunDatabase.execute(c, "USE " + Sql.ident(DuckDbEngine.CATALOG) + ".main");
        RunDatabase.execute(c, "DETACH DATABASE IF EXISTS " + Sql.ident(scope));
      }
    } catch (SQLException e) {
      throw new StepFailedException("SQL model '" + step.name() + "' (" + step.file().getFileName() + ") failed: "
          + EngineMessages.of(e.getMessage()), e);
    }
  }

  /** Runs the statement with each run parameter bound as a value at its {@code ?}: never as SQL text. */
  private static void createTable(Connection c, String statement, SqlModelStep step) throws SQLException {
    if (step.parameterOrder().isEmpty()) {
      RunDatabase.execute(c, statement);
      return;
    }
    try (PreparedStatement prepared = c.prepareStatement(statement)) {
      int position = 1;
      for (String parameter : step.parameterOrder()) {
        prepared.setObject(position++, step.parameters().get(parameter));
      }
      prepared.execute();
    }
  }

  /** Each input's name as the query writes it, resolved in the project schema, to its producing step. */
  private Map<TableName, String> visibleNames(SqlModelStep step) {
    Map<TableName, String> names = new LinkedHashMap<>();
    for (Input input : step.inputs()) {
      TableName name = input.sourceStep().equals(input.name())
          ? new TableName(projectSchema, input.name()) // an upstream model
          : TableName.parseOrNull(input.name(), projectSchema);
      names.put(name, input.sourceStep());
    }
    return names;
  }
}
