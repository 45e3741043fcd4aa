package dev.tarn.mcp;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.pipeline.PipelineRunFailedException;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.core.pipeline.RunOptions;
import dev.tarn.executor.pipeline.RunListener;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.StepRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code run_pipeline} tool and the run-log resource: a project from the server's projects folder,
 * or one whose files the agent sends, runs into a branch exactly as {@code RUN PIPELINE} and {@code tarn
 * run} do (RUN and WRITE on the branch, MERGE too when it is protected; a temporary branch merged as
 * one commit, or nothing on failure).
 */
final class PipelineTools {
  /** What a sent project may hold: it is unpacked on the server for the run. */
  static final int MAX_SENT_FILES = 200;
  static final int MAX_SENT_BYTES = 4 << 20;
  private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final String SENT_PROJECT_NAME = "sent-project";

  private final Pipelines pipelines;
  private final CatalogTools catalog;

  PipelineTools(Pipelines pipelines, CatalogTools catalog) {
    this.pipelines = pipelines;
    this.catalog = catalog;
  }

  QueryTool.Answer run(String user, Object project, Object files, String branch, Object parameters, Object dryRun) {
    if (branch == null || branch.isBlank()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "run_pipeline needs branch: the branch the run writes"
          + " (create_branch makes one of your own)");
    }
    String target = catalog.readable(user, branch).name();
    RunOptions options = new RunOptions(dryRun(dryRun), parameters(parameters));
    RunRecord record;
    try {
      if (files != null) {
        String name = project == null ? SENT_PROJECT_NAME : text("project", project);
        record = pipelines.runSent(name, sentFiles(files), target, options, user, RunListener.NONE);
      } else if (project != null) {
        record = pipelines.run(text("project", project), target, options, user, RunListener.NONE);
      } else {
        throw new TarnException(Kind.INVALID_ARGUMENT, "run_pipeline needs project (a folder in the server's"
            + " projects folder) or files (the project's files by name)");
      }
    } catch (PipelineRunFailedException e) {
      String log = e.record() == null ? "" : "\n(its log: resource " + TarnResources.runUri(e.record().id()) + ")";
      throw new RunFailed(e.getMessage() + log, e);
    }
    return new QueryTool.Answer(summary(record), record.steps().size());
  }

  /** The run's outcome and each model's line; the logs stay in the run-log resource. */
  static String summary(RunRecord record) {
    StringBuilder out = new StringBuilder();
    out.append(record.dryRun() ? "dry run " : "run ").append(record.id()).append(' ')
        .append(record.status().name().toLowerCase(Locale.ROOT)).append(" on branch ")
        .append(record.targetBranch());
    if (record.dryRun()) {
      out.append(": nothing was committed");
    } else if (record.mergeCommit() != null) {
      out.append(": one commit ").append(CatalogTools.shortHash(record.mergeCommit()));
    }
    out.append('\n');
    TextTable steps = new TextTable(List.of("step", "kind", "status", "rows", "ms", "materialized_as"));
    for (StepRecord step : record.steps()) {
      steps.add(List.of(step.step(), step.kind(), step.status().name().toLowerCase(Locale.ROOT), step.rows(),
          step.durationMs(), step.materializedAs() == null ? "" : step.materializedAs()));
    }
    return out.append(steps.render()).append("logs: resource ").append(TarnResources.runUri(record.id())).append('\n')
        .toString();
  }

  /** A run that started and failed: the message is the run's own error (model, traceback, kept branch). */
  static final class RunFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static boolean dryRun(Object value) {
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    throw new TarnException(Kind.INVALID_ARGUMENT, "dry_run must be true or false, not " + value);
  }

  private static Map<String, Object> parameters(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> given)) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "params must be an object of parameter names to values");
    }
    Map<String, Object> options = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : given.entrySet()) {
      String name = String.valueOf(entry.getKey());
      if (!PARAMETER_NAME.matcher(name).matches()) {
        throw new TarnException(Kind.INVALID_ARGUMENT, "run parameter name " + TextTable.cell(name)
            + " is not a name: letters, digits and _, at most 128");
      }
      options.put("param." + name, entry.getValue());
    }
    // RunOptions decides which values a parameter may take, as for every other door
    return RunOptions.parse(options).parameters();
  }

  private static Map<String, byte[]> sentFiles(Object value) {
    if (!(value instanceof Map<?, ?> given) || given.isEmpty()) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "files must be an object of file names (models.py,"
          + " trips.sql, tarn_project.yml) to their text");
    }
    if (given.size() > MAX_SENT_FILES) {
      throw new TarnException(Kind.RESOURCE_EXHAUSTED, "a sent project holds at most " + MAX_SENT_FILES
          + " files, not " + given.size());
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    long total = 0;
    for (Map.Entry<?, ?> entry : given.entrySet()) {
      String name = String.valueOf(entry.getKey());
      byte[] bytes = text("file " + TextTable.cell(name), entry.getValue()).getBytes(StandardCharsets.UTF_8);
      total += bytes.length;
      if (total > MAX_SENT_BYTES) {
        throw new TarnException(Kind.RESOURCE_EXHAUSTED, "a sent project holds at most " + (MAX_SENT_BYTES >> 20)
            + " MiB of files");
      }
      files.put(name, bytes);
    }
    return files;
  }

  private static String text(String what, Object value) {
    if (value instanceof String s) {
      return s;
    }
    throw new TarnException(Kind.INVALID_ARGUMENT, what + " must be a string, not " + value);
  }
}
