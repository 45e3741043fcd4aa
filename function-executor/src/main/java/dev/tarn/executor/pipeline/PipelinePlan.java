package dev.tarn.executor.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The immutable plan of a pipeline run: steps in a topological order (every step after the steps it
 * depends on), the resolved run parameters, and the project they came from.
 */
public final class PipelinePlan {
  private final Project project;
  private final List<PlannedStep> steps;
  private final Map<String, PlannedStep> byId;
  private final Map<String, Object> parameters;

  PipelinePlan(Project project, List<PlannedStep> steps, Map<String, Object> parameters) {
    this.project = project;
    this.steps = List.copyOf(steps);
    Map<String, PlannedStep> ids = new LinkedHashMap<>();
    for (PlannedStep s : steps) {
      ids.put(s.id(), s);
    }
    this.byId = Collections.unmodifiableMap(ids);
    this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  public Project project() {
    return project;
  }

  /** All steps, topologically ordered. */
  public List<PlannedStep> steps() {
    return steps;
  }

  /** The resolved run parameters (run values over project defaults), of their declared types. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  public PlannedStep step(String id) {
    PlannedStep s = byId.get(id);
    if (s == null) {
      throw new NoSuchElementException("no step '" + id + "' in the plan (steps: " + byId.keySet() + ")");
    }
    return s;
  }

  public <T extends PlannedStep> List<T> steps(Class<T> type) {
    return steps.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Step ids in plan order. */
  public List<String> order() {
    return steps.stream().map(PlannedStep::id).toList();
  }

  /** Steps not in {@code done} whose dependencies all are: what an executor may start now, concurrently. */
  public List<PlannedStep> ready(Collection<String> done) {
    Set<String> finished = new HashSet<>(done);
    return steps.stream()
        .filter(s -> !finished.contains(s.id()) && finished.containsAll(s.dependsOn()))
        .toList();
  }

  /** The steps grouped into waves: every step of a wave depends only on earlier waves. */
  public List<List<String>> waves() {
    List<List<String>> waves = new ArrayList<>();
    Set<String> done = new HashSet<>();
    while (done.size() < steps.size()) {
      List<String> wave = ready(done).stream().map(PlannedStep::id).toList();
      waves.add(wave);
      done.addAll(wave);
    }
    return Collections.unmodifiableList(waves);
  }

  @Override
  public String toString() {
    return steps.stream().map(s -> s.id() + (s.dependsOn().isEmpty() ? "" : " <- " + s.dependsOn()))
        .collect(Collectors.joining("\n"));
  }
}
