package dev.tarn.executor.pipeline;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.MergeOptions;
import dev.tarn.catalog.MergeResult;
import dev.tarn.catalog.ReadOnlyReferenceException;
import dev.tarn.catalog.ResolvedReference;
import dev.tarn.catalog.TableId;
import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.pipeline.PlannedStep.ExpectationStep;
import dev.tarn.executor.pipeline.PlannedStep.PythonModelStep;
import dev.tarn.executor.python.EnvironmentException;
import dev.tarn.executor.python.EnvironmentSpec;
import dev.tarn.executor.python.Environments;
import dev.tarn.executor.python.PythonEnvironment;
import dev.tarn.executor.python.PythonModelRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pipeline projects transactionally against a branch.
 *
 * <p>A run: checks the target branch (a missing branch or a tag throws the catalog's exception,
 * and nothing is recorded), records itself as running, loads and plans the project at the target's
 * head commit, assembles every environment (a missing package fails here, before any model runs),
 * forks the branch {@code tarn_run_<id>} from that commit, runs the steps, and merges the run branch
 * into the target as one commit. On success the run branch is deleted; on any failure the target
 * is left unchanged, the run branch is kept for inspection, and the returned record says what failed.
 * A dry run runs every model and expectation, writes nothing and creates no branch.
 *
 * <p>Thread-safe: runs are independent (each has its own id, branch and in-memory database).
 */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
  /** Prefix of run branches: {@code tarn_run_<id>}. */
  public static final String RUN_BRANCH_PREFIX = "tarn_run_";

  private final BranchCatalog catalog;
  private final DuckDbEngine engine;
  private final LakehouseViews views;
  private final Environments environments;
  private final PythonModelRunner python;
  private final ProjectLoader loader;
  private final SqlInspector sql;
  private final StepScheduler scheduler;
  private final ScanCache scanCache;

  /**
   * @param discovery reads Python models' declarations; null for the machine's discovery Python
   *     ({@link ModelDiscovery#locate()})
   * @param sql what the SQL front end knows: tables a SQL model reads, the Iceberg filter of an input
   * @param parallelism how many steps of one run may run at the same time
   * @param scanCache the server's scan cache, shared by all runs (its owner closes it after the runner's
   *     last run); {@link ScanCache#off()} to read Parquet in every scan
   */
  public PipelineRunner(BranchCatalog catalog, DuckDbEngine engine, LakehouseViews views, Environments environments,
      PythonModelRunner python, ModelDiscovery discovery, SqlInspector sql, int parallelism, ScanCache scanCache) {
    this.catalog = catalog;
    this.engine = engine;
    this.views = views;
    this.environments = environments;
    this.python = python;
    this.sql = sql;
    this.loader = new ProjectLoader(discovery, sql);
    this.scheduler = new StepScheduler(parallelism);
    this.scanCache = scanCache;
  }

  /** Without a scan cache: every scan reads Parquet. */
  public PipelineRunner(BranchCatalog catalog, DuckDbEngine engine, LakehouseViews views, Environments environments,
      PythonModelRunner python, ModelDiscovery discovery, SqlInspector sql, int parallelism) {
    this(catalog, engine, views, environments, python, discovery, sql, parallelism, ScanCache.off());
  }

  /** With the machine's discovery Python ({@link ModelDiscovery#locate()}), found at the first run. */
  public PipelineRunner(BranchCatalog catalog, DuckDbEngine engine, LakehouseViews views, Environments environments,
      PythonModelRunner python, SqlInspector sql, int parallelism) {
    this(catalog, engine, views, environments, python, null, sql, parallelism);
  }

  /**
   * Runs a project on the calling thread. Returns the run's final record, SUCCEEDED, FAILED or
   * CANCELLED (with its error); the listener hears every change before that, starting with the
   * RUNNING record that carries the run's id. Interrupting the calling thread (the client cancelled
   * or went away) cancels the run at any stage before its merge: model discovery and running Python
   * models are stopped, nothing new starts, nothing is merged, and the run is recorded as CANCELLED,
   * the target unchanged. A run whose merge landed is SUCCEEDED, whatever became of its client.
   *
   * @throws dev.tarn.catalog.ReferenceNotFoundException if the target branch does not exist
   * @throws ReadOnlyReferenceException if the target is a tag (or otherwise not a writable branch)
   */
  public RunRecord run(RunRequest request, RunListener listener) {
    ResolvedReference target = catalog.resolve(At.reference(request.targetBranch()));
    if (!target.writable()) {
      throw new ReadOnlyReferenceException(target);
    }
    String id = newRunId();
    RunProgress progress = new RunProgress(new RunRecord(id, request.project(), null, request.targetBranch(), null,
        RunRecord.Status.RUNNING, request.dryRun(), request.user(), Instant.now(), null, target.hash(), null, null,
        List.of()), listener);
    LOG.info("pipeline run {}: project {} on branch {}{} by {}", id, request.project(), request.targetBranch(),
        request.dryRun() ? " (dry run)" : "", request.user());
    RunRecord finished;
    try {
      finished = execute(id, request, target, progress);
    } catch (RuntimeException e) {
      if (cancelled()) {
        finished = cancelledRun(id, request, progress.current().runBranch(), progress);
        LOG.info("pipeline run {}: {}", id, finished.status());
        return finished;
      }
      // a bug or an engine failure outside any step: still a failed run with a record
      LOG.error("pipeline run {} failed unexpectedly", id, e);
      finished = progress.finish(RunRecord.Status.FAILED, failure(id, "unexpectedly", describe(e), request,
          progress.current().runBranch()), null);
    }
    LOG.info("pipeline run {}: {}", id, finished.status());
    return finished;
  }

  private RunRecord execute(String id, RunRequest request, ResolvedReference target, RunProgress progress) {
    PipelinePlan plan;
    try {
      Project project = loader.loadProject(request.projectDir());
      progress.projectName(project.name());
      plan = new PipelinePlanner(table -> views.tableExists(target, TableId.of(table.schema(), table.name())))
          .plan(project, request.parameters());
    } catch (PipelinePlanException | CatalogException e) {
      if (cancelled()) {
        return cancelledRun(id, request, null, progress);
      }
      return progress.finish(RunRecord.Status.FAILED, failure(id, "while planning", e.getMessage(), request, null),
          null);
    }
    progress.planned(plan.project().name(), plan.steps().stream().map(StepExecutor::pending).toList());

    Map<EnvironmentSpec, PythonEnvironment> assembled = new LinkedHashMap<>();
    for (Map.Entry<EnvironmentSpec, List<PlannedStep>> env : environmentsOf(plan).entrySet()) {
      try {
        assembled.put(env.getKey(), environments.assemble(env.getKey()));
      } catch (EnvironmentException e) {
        if (cancelled()) {
          return cancelledRun(id, request, null, progress);
        }
        String users = env.getValue().stream().map(StepExecutor::describe).collect(Collectors.joining(", "));
        String message = "the environment of " + users + " could not be assembled: " + e.getMessage();
        env.getValue().forEach(s -> progress.failed(s.id(), message, null, "", 0));
        return progress.finish(RunRecord.Status.FAILED, failure(id, "before any model ran", message, request, null),
            null);
      }
    }

    if (cancelled()) {
      return cancelledRun(id, request, null, progress);
    }
    String runBranch = null;
    if (!request.dryRun()) {
      runBranch = RUN_BRANCH_PREFIX + id;
      catalog.createBranch(runBranch, At.commit(target.hash()));
      progress.runBranch(runBranch);
    }
    Optional<StepScheduler.Failure> failed;
    // the lease outlives the run database: the run's views read cached fragments until it is detached
    try (LakehouseViews.Pin pin = views.pin(target); ScanCache.Lease cached = scanCache.lease();
        RunDatabase db = RunDatabase.attach(engine, id);
        PythonStepRunner pythonSteps = new PythonStepRunner(python, assembled, plan, progress, request.user(),
            request.dryRun())) {
      StepExecutor executor = new StepExecutor(db, new ScanRunner(views, sql, target, cached),
          new SqlModelRunner(plan.project().schema()), pythonSteps,
          runBranch == null ? null : new Materializer(catalog, views, runBranch, id, request.user()));
      failed = scheduler.run(plan, executor::execute, progress, id);
    }
    if (cancelled()) {
      return cancelledRun(id, request, runBranch, progress);
    }
    if (failed.isPresent()) {
      PlannedStep step = failed.get().step();
      String where = step == null ? "" : "in " + StepExecutor.describe(step);
      return progress.finish(RunRecord.Status.FAILED, failure(id, where, failed.get().error().getMessage(), request,
          runBranch), null);
    }
    if (runBranch == null) {
      return progress.finish(RunRecord.Status.SUCCEEDED, null, null);
    }
    return merge(id, request, plan, runBranch, target, progress);
  }

  /** Brings the run branch's commits into the target as one commit, then deletes the run branch. */
  private RunRecord merge(String id, RunRequest request, PipelinePlan plan, String runBranch,
      ResolvedReference fork, RunProgress progress) {
    String mergeCommit = null;
    ResolvedReference runHead = catalog.resolve(At.branch(runBranch));
    // the run branch has commits only when something was materialized; otherwise there is nothing to merge
    if (!runHead.hash().equals(fork.hash())) {
      List<String> tables = plan.steps(PlannedStep.MaterializeStep.class).stream()
          .map(m -> m.targetTable().toString()).toList();
      String message = "pipeline run " + id + " of project " + plan.project().name() + ": "
          + String.join(", ", tables);
      if (cancelled()) { // the last moment a cancel can keep the target unchanged
        return cancelledRun(id, request, runBranch, progress);
      }
      try {
        // no expected hash: commits others made to the target meanwhile are fine unless they touch
        // the same tables, which the merge reports as a conflict
        MergeResult result = catalog.merge(At.branch(runBranch), request.targetBranch(),
            MergeOptions.asOneCommit(message, request.user(), null));
        mergeCommit = result.resultHash();
      } catch (CatalogException e) {
        return progress.finish(RunRecord.Status.FAILED, failure(id, "merging into branch '" + request.targetBranch()
            + "'", e.getMessage(), request, runBranch), null);
      }
    }
    try {
      catalog.dropBranch(runBranch); // the record keeps its name: which branch the run worked on
    } catch (CatalogException e) {
      // the merge landed: the run succeeded; the leftover branch is only clutter
      LOG.warn("pipeline run {}: could not delete its branch {}: {}", id, runBranch, e.getMessage());
    }
    return progress.finish(RunRecord.Status.SUCCEEDED, null, mergeCommit);
  }

  /** The distinct environments of the plan's Python steps, each with the steps that use it. */
  private static Map<EnvironmentSpec, List<PlannedStep>> environmentsOf(PipelinePlan plan) {
    Map<EnvironmentSpec, List<PlannedStep>> specs = new LinkedHashMap<>();
    for (PlannedStep step : plan.steps()) {
      EnvironmentSpec spec = step instanceof PythonModelStep m ? m.environment()
          : step instanceof ExpectationStep e ? e.environment() : null;
      if (spec != null) {
        specs.computeIfAbsent(spec, s -> new ArrayList<>()).add(step);
      }
    }
    return specs;
  }

  /**
   * The run's error for people: what failed, and what became of the target and the run branch.
   *
   * @param where {@code in model 'x'}, {@code while planning}, ...; empty when the detail says it
   * @param runBranch the kept run branch, or null when none was created
   */
  private static String failure(String id, String where, String detail, RunRequest request, String runBranch) {
    Set<String> parts = new LinkedHashSet<>();
    parts.add("pipeline run " + id + " failed" + (where.isEmpty() ? "" : " " + where) + ": " + detail.strip());
    parts.add(outcome(request, runBranch));
    return String.join("\n— ", parts);
  }

  /** What became of the target and the run branch of a run that did not merge. */
  private static String outcome(RunRequest request, String runBranch) {
    String outcome = "the target branch '" + request.targetBranch() + "' is unchanged";
    if (runBranch != null) {
      outcome += "; the run's branch '" + runBranch + "' is kept for inspection (DROP BRANCH " + runBranch
          + " when done)";
    }
    return outcome;
  }

  /** Whether the run's client cancelled it or went away: the calling thread was interrupted. */
  private static boolean cancelled() {
    return Thread.currentThread().isInterrupted();
  }

  /** Ends a run whose client cancelled it or went away: nothing merged, the target unchanged. */
  private static RunRecord cancelledRun(String id, RunRequest request, String runBranch, RunProgress progress) {
    return progress.finish(RunRecord.Status.CANCELLED, "pipeline run " + id
        + " was cancelled: its client cancelled it or went away before it finished\n— "
        + outcome(request, runBranch), null);
  }

  private static String describe(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }

  /** A short unique id, also a valid branch-name and identifier suffix. */
  static String newRunId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
