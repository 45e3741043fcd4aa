package dev.tarn.executor.pipeline;

import dev.tarn.executor.python.EnvironmentSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One function call of a pipeline plan. Every step has a unique {@link #id()} and the ids of the
 * steps it needs ({@link #dependsOn()}); steps whose dependencies are done may run concurrently.
 */
public sealed interface PlannedStep {
  String id();

  /** Ids of the steps whose outputs this step reads, sorted. */
  Set<String> dependsOn();

  private static Set<String> frozen(Set<String> ids) {
    return Collections.unmodifiableSet(new TreeSet<>(ids));
  }

  /**
   * An input of a model step, resolved.
   *
   * @param argument the function argument (SQL: the name used in the query)
   * @param name the model or table name as declared
   * @param sourceStep the id of the step producing it (a model step or a scan)
   * @param columns declared columns, or null for all
   * @param filter declared filter, or null
   */
  record Input(String argument, String name, String sourceStep, List<String> columns, String filter) {
    public Input {
      columns = columns == null ? null : List.copyOf(columns);
    }
  }

  /** Reads a lakehouse table into Arrow, with only {@code columns} (null: all) and rows matching {@code filter} (null: all). */
  record ScanStep(String id, TableName table, List<String> columns, String filter) implements PlannedStep {
    public ScanStep {
      columns = columns == null ? null : List.copyOf(columns);
    }

    @Override
    public Set<String> dependsOn() {
      return Set.of();
    }
  }

  /**
   * Runs a SQL model's query in DuckDB over its inputs; each {@code ?} of {@code sql} is bound to the
   * value of the run parameter {@code parameterOrder} names at its position.
   */
  record SqlModelStep(String name, Path file, String sql, List<Input> inputs, List<String> parameterOrder,
      Map<String, Object> parameters, Set<String> dependsOn) implements PlannedStep {
    public SqlModelStep {
      inputs = List.copyOf(inputs);
      parameterOrder = List.copyOf(parameterOrder);
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      dependsOn = frozen(dependsOn);
    }

    @Override
    public String id() {
      return name;
    }
  }

  /**
   * Runs a Python model in its own process in the environment of {@code environment}, without a network
   * when {@code internetAccess} is false (null: as the server runs models by default).
   */
  record PythonModelStep(String name, Path file, String function, EnvironmentSpec environment, List<Input> inputs,
      Map<String, Object> parameters, Duration timeout, Boolean internetAccess, Set<String> dependsOn)
      implements PlannedStep {
    public PythonModelStep {
      inputs = List.copyOf(inputs);
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      dependsOn = frozen(dependsOn);
    }

    @Override
    public String id() {
      return name;
    }
  }

  /** Writes a model's output as the Iceberg table {@code targetTable} on the run branch, as {@code mode} says. */
  record MaterializeStep(String model, TableName targetTable, Materialization mode) implements PlannedStep {
    public MaterializeStep {
      if (mode == Materialization.NONE) {
        throw new IllegalArgumentException("model " + model + " is not materialized");
      }
    }

    /** Replaces the table. */
    public MaterializeStep(String model, TableName targetTable) {
      this(model, targetTable, Materialization.REPLACE);
    }

    @Override
    public String id() {
      return "materialize:" + model;
    }

    @Override
    public Set<String> dependsOn() {
      return Set.of(model);
    }
  }

  /** Evaluates an expectation over model outputs; false fails the run. */
  record ExpectationStep(String name, Path file, String function, EnvironmentSpec environment, List<Input> inputs,
      Map<String, Object> parameters, Duration timeout, Boolean internetAccess, Set<String> dependsOn)
      implements PlannedStep {
    public ExpectationStep {
      inputs = List.copyOf(inputs);
      parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
      dependsOn = frozen(dependsOn);
    }

    @Override
    public String id() {
      return "expectation:" + name;
    }
  }
}
