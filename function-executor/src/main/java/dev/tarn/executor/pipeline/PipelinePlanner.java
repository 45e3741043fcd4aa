package dev.tarn.executor.pipeline;

import dev.tarn.executor.pipeline.PlannedStep.ExpectationStep;
import dev.tarn.executor.pipeline.PlannedStep.Input;
import dev.tarn.executor.pipeline.PlannedStep.MaterializeStep;
import dev.tarn.executor.pipeline.PlannedStep.PythonModelStep;
import dev.tarn.executor.pipeline.PlannedStep.ScanStep;
import dev.tarn.executor.pipeline.PlannedStep.SqlModelStep;
import dev.tarn.executor.python.EnvironmentException;
import dev.tarn.executor.python.EnvironmentSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Plans a project into a DAG of function calls: a scan per distinct (lakehouse table, columns,
 * filter), a step per model, a materialize step per {@code materialize=True} model and a step per
 * expectation. Cycles, unknown inputs, duplicate names, missing parameters and Python models without
 * a Python version are rejected with a {@link PipelinePlanException} naming them.
 */
public final class PipelinePlanner {
  private final Predicate<TableName> tableExists;

  /** @param tableExists whether a lakehouse table exists; null accepts every valid table name */
  public PipelinePlanner(Predicate<TableName> tableExists) {
    this.tableExists = tableExists;
  }

  /** A planner that accepts every syntactically valid table name. */
  public PipelinePlanner() {
    this(null);
  }

  /**
   * @param runParameters values given for this run: text (converted to each parameter's declared
   *     type), or Long/Double/Boolean/String values from a JSON request
   */
  public PipelinePlan plan(Project project, Map<String, ?> runParameters) {
    Map<String, ?> given = runParameters == null ? Map.of() : runParameters;
    Map<String, ModelDefinition> models = new LinkedHashMap<>();
    Map<String, ModelDefinition> expectations = new LinkedHashMap<>();
    for (ModelDefinition d : project.definitions()) {
      Map<String, ModelDefinition> into = d.isModel() ? models : expectations;
      ModelDefinition earlier = into.putIfAbsent(d.name(), d);
      if (earlier != null) {
        throw new PipelinePlanException("duplicate " + (d.isModel() ? "model" : "expectation") + " name '"
            + d.name() + "': defined in " + earlier.file() + " and in " + d.file());
      }
    }
    Map<String, Object> parameters = resolveParameters(project, given);

    // resolve inputs: a model, else a lakehouse table (scan)
    Map<String, ScanStep> scans = new LinkedHashMap<>();
    Map<ScanKey, String> scanIds = new HashMap<>();
    Map<String, List<Input>> inputsOf = new LinkedHashMap<>();
    for (ModelDefinition d : project.definitions()) {
      List<Input> inputs = new ArrayList<>();
      for (DeclaredInput in : d.inputs()) {
        String source;
        if (models.containsKey(in.name())) {
          source = in.name();
        } else {
          TableName table = TableName.parseOrNull(in.name(), project.schema());
          if (table == null || (tableExists != null && !tableExists.test(table))) {
            throw new PipelinePlanException(describe(d) + " reads unknown input '" + in.name()
                + "': it is neither a model of the project (" + String.join(", ", new TreeSet<>(models.keySet()))
                + ") nor " + (table == null ? "a valid table name" : "an existing table (" + table + ")"));
          }
          ScanKey key = new ScanKey(table, in.columns(), in.filter());
          source = scanIds.computeIfAbsent(key, k -> {
            String base = "scan:" + table;
            String id = base;
            for (int n = 2; scans.containsKey(id); n++) {
              id = base + "#" + n;
            }
            scans.put(id, new ScanStep(id, table, in.columns(), in.filter()));
            return id;
          });
        }
        inputs.add(new Input(in.argument(), in.name(), source, in.columns(), in.filter()));
      }
      inputsOf.put(key(d), inputs);
    }

    rejectCycles(models, inputsOf);

    // steps
    Map<String, PlannedStep> steps = new LinkedHashMap<>(scans);
    for (ModelDefinition d : project.definitions()) {
      List<Input> inputs = inputsOf.get(key(d));
      Set<String> deps = new LinkedHashSet<>();
      inputs.forEach(i -> deps.add(i.sourceStep()));
      PlannedStep step = switch (d.kind()) {
        case SQL_MODEL -> new SqlModelStep(d.name(), d.file(), d.sql(), inputs, d.sqlParameters(),
            parametersOf(d, parameters), deps);
        case PYTHON_MODEL -> new PythonModelStep(d.name(), d.file(), d.function(), environment(project, d), inputs,
            parametersOf(d, parameters), project.timeout(), d.internetAccess(), deps);
        case EXPECTATION -> new ExpectationStep(d.name(), d.file(), d.function(), environment(project, d), inputs,
            parametersOf(d, parameters), project.timeout(), d.internetAccess(), deps);
      };
      steps.put(step.id(), step);
      if (d.materialize() && d.isModel()) {
        MaterializeStep m = new MaterializeStep(d.name(),
            new TableName(d.schema() != null ? d.schema() : project.schema(), d.name()), d.materialization());
        steps.put(m.id(), m);
      }
    }
    return new PipelinePlan(project, topological(steps), parameters);
  }

  private record ScanKey(TableName table, List<String> columns, String filter) {}

  private static String key(ModelDefinition d) {
    return (d.isModel() ? "m:" : "e:") + d.name();
  }

  private static String describe(ModelDefinition d) {
    return (d.isModel() ? "model " : "expectation ") + d.name() + " (" + d.file().getFileName() + ")";
  }

  /**
   * Each parameter's value for this run: the given value (converted to the declared type), else the
   * declared default; a declared parameter with neither a default nor {@code required} is null.
   */
  private static Map<String, Object> resolveParameters(Project project, Map<String, ?> given) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    project.parameters().forEach((name, declared) -> {
      if (declared.defaultValue() != null || !declared.required()) {
        resolved.put(name, declared.defaultValue());
      }
    });
    Set<String> used = new TreeSet<>(project.parameters().keySet());
    for (ModelDefinition d : project.definitions()) {
      used.addAll(d.parameters().values());
    }
    for (Map.Entry<String, ?> e : given.entrySet()) {
      if (!used.contains(e.getKey())) {
        throw new PipelinePlanException("unknown parameter '" + e.getKey() + "': no model uses it and "
            + "the project file does not declare it" + (used.isEmpty() ? "" : " (known: " + used + ")"));
      }
      Object value = Objects.requireNonNull(e.getValue(), "parameter " + e.getKey());
      ProjectParameter declared = project.parameters().get(e.getKey());
      if (declared != null) {
        try {
          value = declared.type().convert(e.getKey(), value);
        } catch (IllegalArgumentException wrongType) {
          throw new PipelinePlanException("run " + wrongType.getMessage(), wrongType);
        }
      }
      resolved.put(e.getKey(), value);
    }
    for (ModelDefinition d : project.definitions()) {
      for (String p : d.parameters().values()) {
        if (!resolved.containsKey(p)) {
          throw new PipelinePlanException("missing parameter '" + p + "' of " + describe(d)
              + ": set it with WITH (param." + p + " = ...) or give it a default under parameters in the project file ("
              + ProjectLoader.PROJECT_FILE + " or bauplan_project.yml)");
        }
      }
    }
    for (Map.Entry<String, ProjectParameter> p : project.parameters().entrySet()) {
      if (!resolved.containsKey(p.getKey())) {
        throw new PipelinePlanException("missing parameter '" + p.getKey() + "': the project file declares it "
            + "required (or without a default); set it with WITH (param." + p.getKey() + " = ...)");
      }
    }
    return resolved;
  }

  private static Map<String, Object> parametersOf(ModelDefinition d, Map<String, Object> resolved) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String p : d.parameters().values()) {
      values.put(p, resolved.get(p));
    }
    return values;
  }

  private static EnvironmentSpec environment(Project project, ModelDefinition d) {
    String version = d.pythonVersion() != null ? d.pythonVersion() : project.defaultPythonVersion();
    if (version == null) {
      throw new PipelinePlanException(describe(d) + " declares no Python version: add @tarn.python(\"3.11\", ...) "
          + "or set python_version in " + ProjectLoader.PROJECT_FILE);
    }
    try {
      return EnvironmentSpec.of(version, d.pins());
    } catch (EnvironmentException e) {
      throw new PipelinePlanException(describe(d) + ": " + e.getMessage(), e);
    }
  }

  /** Finds a cycle among model-to-model edges and names its models in order. */
  private static void rejectCycles(Map<String, ModelDefinition> models, Map<String, List<Input>> inputsOf) {
    Map<String, Integer> state = new HashMap<>(); // 1 on stack, 2 done
    for (String start : models.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<java.util.Iterator<String>> iters = new ArrayDeque<>();
      state.put(start, 1);
      path.push(start);
      iters.push(modelInputs(start, models, inputsOf).iterator());
      while (!path.isEmpty()) {
        java.util.Iterator<String> it = iters.peek();
        if (it.hasNext()) {
          String next = it.next();
          Integer s = state.get(next);
          if (s == null) {
            state.put(next, 1);
            path.push(next);
            iters.push(modelInputs(next, models, inputsOf).iterator());
          } else if (s == 1) {
            List<String> stack = new ArrayList<>(path); // innermost first
            List<String> cycle = new ArrayList<>();
            for (String m : stack) {
              cycle.add(0, m);
              if (m.equals(next)) {
                break;
              }
            }
            // path reads "m reads n": present as data flow n -> m
            List<String> flow = new ArrayList<>(cycle);
            java.util.Collections.reverse(flow);
            flow.add(flow.get(0));
            throw new PipelinePlanException("the pipeline has a cycle between models " + new TreeSet<>(cycle)
                + ": " + String.join(" -> ", flow) + " (each feeds the next)");
          }
        } else {
          state.put(path.pop(), 2);
          iters.pop();
        }
      }
    }
  }

  private static List<String> modelInputs(String model, Map<String, ModelDefinition> models,
      Map<String, List<Input>> inputsOf) {
    return inputsOf.get("m:" + model).stream().map(Input::sourceStep).filter(models::containsKey).toList();
  }

  /** Kahn's algorithm, stable: among ready steps, the earliest-declared goes first. */
  private static List<PlannedStep> topological(Map<String, PlannedStep> steps) {
    List<PlannedStep> order = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    while (order.size() < steps.size()) {
      PlannedStep next = null;
      for (PlannedStep s : steps.values()) {
        if (!done.contains(s.id()) && done.containsAll(s.dependsOn())) {
          next = s;
          break;
        }
      }
      if (next == null) {
        throw new IllegalStateException("cycle left after cycle check: " + steps.keySet());
      }
      order.add(next);
      done.add(next.id());
    }
    return order;
  }
}
