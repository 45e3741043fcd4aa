package dev.tarn.executor.pipeline;

import dev.tarn.executor.lakehouse.Sql;
import dev.tarn.executor.pipeline.PlannedStep.ExpectationStep;
import dev.tarn.executor.pipeline.PlannedStep.Input;
import dev.tarn.executor.pipeline.PlannedStep.PythonModelStep;
import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.ModelCall;
import dev.tarn.executor.python.ModelFailedException;
import dev.tarn.executor.python.ModelInput;
import dev.tarn.executor.python.ModelResult;
import dev.tarn.executor.python.PythonEnvironment;
import dev.tarn.executor.python.PythonModelRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * Runs Python models and expectations in their own processes. Each input leaves DuckDB as Arrow
 * (DuckDB's Arrow export of the input's relation) and is handed to the model as an Arrow IPC file
 * in shared memory; a model's output comes back as Arrow and DuckDB scans it, through the Arrow C
 * stream interface, into the model's table in the run database, unless it is kept as its file for
 * the Python models reading it whole ({@link ModelOutputs}). With the scan cache on, a scan's input
 * is the cache's files of its whole data files plus one file with the rest ({@link ScanHandOff}).
 */
final class PythonStepRunner implements AutoCloseable {
  /** Rows per Arrow batch exported from DuckDB. */
  private static final long BATCH_ROWS = 64 * 1024;

  private final PythonModelRunner python;
  private final Map<EnvironmentSpec, PythonEnvironment> environments;
  private final PipelinePlan plan;
  private final RunProgress progress;
  private final String owner;
  private final ModelOutputs outputs;
  private final boolean dryRun;

  /**
   * @param environments every environment of the plan, assembled before the run started
   * @param progress the run's record, which hears each step's output lines as they are printed
   * @param owner who runs the pipeline: warm workers run one user's models only
   * @param dryRun whether the run writes nothing: its materializations read no output
   */
  PythonStepRunner(PythonModelRunner python, Map<EnvironmentSpec, PythonEnvironment> environments, PipelinePlan plan,
      RunProgress progress, String owner, boolean dryRun) {
    this.python = python;
    this.progress = progress;
    this.owner = owner;
    this.dryRun = dryRun;
    this.environments = Map.copyOf(environments);
    this.plan = plan;
    this.outputs = new ModelOutputs(python);
    prestartWorkers();
  }

  /** A warm worker per environment the plan's models and expectations run in, started while the run scans. */
  private void prestartWorkers() {
    for (PlannedStep step : plan.steps()) {
      if (step instanceof PythonModelStep model) {
        prestart(model.environment(), model.internetAccess());
      } else if (step instanceof ExpectationStep expectation) {
        prestart(expectation.environment(), expectation.internetAccess());
      }
    }
  }

  private void prestart(EnvironmentSpec spec, Boolean internetAccess) {
    PythonEnvironment environment = environments.get(spec);
    if (environment != null) {
      python.prestart(environment, ModelCall.DEFAULT_MEMORY_LIMIT, Boolean.FALSE.equals(internetAccess), owner);
    }
  }

  /** @param handOffs a scan step's hand-off from the scan cache, null for steps without one */
  StepOutcome run(PythonModelStep step, RunDatabase db, Function<String, ScanHandOff> handOffs) {
    return call(step.id(), "Python model '" + step.name() + "'", step.file(), step.name(), step.environment(),
        step.inputs(), step.parameters(), step.timeout(), Boolean.FALSE.equals(step.internetAccess()), db, handOffs);
  }

  /** @param handOffs a scan step's hand-off from the scan cache, null for steps without one */
  StepOutcome run(ExpectationStep step, RunDatabase db, Function<String, ScanHandOff> handOffs) {
    return call(step.id(), "expectation '" + step.name() + "'", step.file(), step.name(), step.environment(),
        step.inputs(), step.parameters(), step.timeout(), Boolean.FALSE.equals(step.internetAccess()), db, handOffs);
  }

  private StepOutcome call(String stepId, String what, Path file, String name, EnvironmentSpec spec,
      List<Input> inputs, Map<String, Object> parameters, Duration timeout, boolean withoutNetwork, RunDatabase db,
      Function<String, ScanHandOff> handOffs) {
    PythonEnvironment environment = Objects.requireNonNull(environments.get(spec), "environment of " + what);
    try (Connection c = db.connect()) {
      Map<String, ModelInput> handed = new LinkedHashMap<>();
      Map<String, Input> byName = new LinkedHashMap<>();
      for (Input input : inputs) {
        Input earlier = byName.putIfAbsent(input.name(), input);
        if (earlier != null && !(Objects.equals(earlier.columns(), input.columns())
            && Objects.equals(earlier.filter(), input.filter()))) {
          // the model process receives one table per input name
          throw new StepFailedException(what + " (" + file.getFileName() + ") reads '" + input.name()
              + "' twice with different columns or filters (arguments " + earlier.argument() + " and "
              + input.argument() + "): read it once and select from it in the model", environment.hash(), "", null);
        }
        ScanHandOff handOff = plan.step(input.sourceStep()) instanceof PlannedStep.ScanStep
            ? handOffs.apply(input.sourceStep()) : null;
        ModelInput kept = whole(input) ? outputs.whole(input.sourceStep()) : null;
        handed.put(input.name(), kept != null ? kept
            : handOff == null ? exported(c, inputQuery(input, db), db) : handed(c, handOff, db));
      }
      ModelCall call = new ModelCall(file, name, environment, handed, parameters, timeout,
          ModelCall.DEFAULT_MEMORY_LIMIT, withoutNetwork, owner);
      try (ModelResult result = python.run(call, (stream, line) -> progress.output(stepId, stream, line))) {
        if (result.output() != null) {
          outputs.take(stepId, result, readers(stepId), c, db);
        }
        return new StepOutcome(false, result.rows(), null, environment.hash(), null,
            logs(result.stdout(), result.stderr()));
      }
    } catch (ModelFailedException e) {
      throw new StepFailedException(e.getMessage(), environment.hash(), logs(e.stdout(), e.stderr()), e);
    } catch (SQLException | IOException e) {
      throw new StepFailedException("the output of " + what + " could not be read into the run: "
          + EngineMessages.of(e.getMessage()), environment.hash(), "", e);
    }
  }

  /** Who reads {@code stepId}'s output in this run: a dry run's materializations read nothing. */
  private ModelOutputs.Readers readers(String stepId) {
    boolean wholeInPython = plan.steps().stream().anyMatch(step -> {
      List<Input> inputs = step instanceof PythonModelStep model ? model.inputs()
          : step instanceof ExpectationStep expectation ? expectation.inputs() : List.of();
      return inputs.stream().anyMatch(input -> input.sourceStep().equals(stepId) && whole(input));
    });
    if (wholeInPython) {
      return ModelOutputs.Readers.WHOLE_IN_PYTHON;
    }
    boolean read = plan.steps().stream().anyMatch(step -> step.dependsOn().contains(stepId)
        && !(dryRun && step instanceof PlannedStep.MaterializeStep));
    return read ? ModelOutputs.Readers.DUCKDB_ONLY : ModelOutputs.Readers.NONE;
  }

  /** Whether an input takes its source's whole table: no columns chosen, no filter. */
  private static boolean whole(Input input) {
    return (input.columns() == null || input.columns().isEmpty())
        && (input.filter() == null || input.filter().isBlank());
  }

  /** Makes a Python step's kept output a DuckDB table, for a consumer reading it in DuckDB. */
  void ensureTable(String stepId, RunDatabase db) {
    outputs.ensureTable(stepId, db);
  }

  /** Removes the outputs kept as files: the run has ended. */
  @Override
  public void close() {
    outputs.close();
  }

  /**
   * The rows an input hands over: a scan already applied the input's columns and filter; an upstream
   * model's table gets them applied here.
   */
  private String inputQuery(Input input, RunDatabase db) {
    outputs.ensureTable(input.sourceStep(), db);
    String relation = db.relation(input.sourceStep());
    if (plan.step(input.sourceStep()) instanceof PlannedStep.ScanStep) {
      return "SELECT * FROM " + relation;
    }
    boolean filtered = input.filter() != null && !input.filter().isBlank();
    if (filtered) {
      try (Connection c = db.connect()) {
        SqlText.checkFilter(c, input.filter(), "input '" + input.name() + "'");
      } catch (java.sql.SQLException e) {
        throw new StepFailedException("the filter '" + input.filter() + "' on input '" + input.name()
            + "' could not be checked: " + e.getMessage(), e);
      }
    }
    String columns = input.columns() == null || input.columns().isEmpty() ? "*"
        : input.columns().stream().map(Sql::ident).collect(Collectors.joining(", "));
    return "SELECT " + columns + " FROM " + relation
        + (filtered ? SqlText.where(input.filter()) : "");
  }

  /**
   * A scan's rows with the scan cache on: the cache's files as they are (the model process takes the
   * scan's columns from each and renames them), then the other files' rows exported from DuckDB.
   */
  private static ModelInput handed(Connection c, ScanHandOff handOff, RunDatabase db) {
    if (handOff.cached().isEmpty()) {
      return exported(c, "SELECT * FROM " + handOff.rest(), db);
    }
    List<ModelInput.SharedFile> shared = handOff.cached().stream()
        .map(f -> new ModelInput.SharedFile(f.file(), handOff.cachedNames())).toList();
    return new ModelInput.Parts(shared, handOff.names(),
        handOff.rest() == null ? null : exported(c, "SELECT * FROM " + handOff.rest(), db));
  }

  /** An input written when the model runner asks for it, straight from DuckDB's Arrow export. */
  private static ModelInput exported(Connection c, String query, RunDatabase db) {
    return channel -> {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(query);
          ArrowReader reader = (ArrowReader) rs.unwrap(DuckDBResultSet.class)
              .arrowExportStream(db.allocator(), BATCH_ROWS)) {
        ModelInput.of(reader).writeArrowFile(channel);
      } catch (SQLException e) {
        throw new IOException("reading the input (" + query + ") failed: " + EngineMessages.of(e.getMessage()), e);
      }
    };
  }

  static String logs(String stdout, String stderr) {
    StringBuilder b = new StringBuilder();
    if (stdout != null && !stdout.isBlank()) {
      b.append("stdout:\n").append(stdout.stripTrailing()).append('\n');
    }
    if (stderr != null && !stderr.isBlank()) {
      b.append("stderr:\n").append(stderr.stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
