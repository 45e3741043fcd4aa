package dev.tarn.mcp;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.core.access.AccessControl;
import dev.tarn.core.pipeline.Pipelines;
import dev.tarn.executor.pipeline.RunRecord;
import dev.tarn.executor.pipeline.StepRecord;
import dev.tarn.sql.command.access.Privilege;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What an agent may read as MCP resources: a table's schema on a branch or tag ({@value #TABLE_TEMPLATE}),
 * and a pipeline run's log by run id ({@value #RUN_TEMPLATE}). Names inside a URI are percent-encoded,
 * so a branch such as {@code agent/bot/fix} is {@code agent%2Fbot%2Ffix}. Reading needs READ on the
 * reference (for a run: on the branch it ran into), as the same answer through SQL would.
 */
final class TarnResources {
  static final String TABLE_TEMPLATE = "tarn://tables/{ref}/{table}";
  static final String RUN_TEMPLATE = "tarn://runs/{run_id}";
  private static final String TABLE_PREFIX = "tarn://tables/";
  private static final String RUN_PREFIX = "tarn://runs/";

  private final CatalogTools catalog;
  private final Pipelines pipelines;
  private final AccessControl access;

  TarnResources(CatalogTools catalog, Pipelines pipelines, AccessControl access) {
    this.catalog = catalog;
    this.pipelines = pipelines;
    this.access = access;
  }

  static String runUri(String runId) {
    return RUN_PREFIX + encode(runId);
  }

  static String tableUri(String reference, String table) {
    return TABLE_PREFIX + encode(reference) + "/" + encode(table);
  }

  /** The text behind {@code uri}, read as {@code user}. */
  String read(String user, String uri) {
    if (uri.startsWith(TABLE_PREFIX)) {
      String[] parts = uri.substring(TABLE_PREFIX.length()).split("/", -1);
      if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw unknown(uri);
      }
      return catalog.describeTable(user, decode(parts[0]), decode(parts[1]));
    }
    if (uri.startsWith(RUN_PREFIX)) {
      String id = decode(uri.substring(RUN_PREFIX.length()));
      if (id.isEmpty() || id.indexOf('/') >= 0) {
        throw unknown(uri);
      }
      return runLog(user, id);
    }
    throw unknown(uri);
  }

  /** The run's outcome, then each step: what it did, what it printed, and why it failed. */
  private String runLog(String user, String id) {
    RunRecord run = pipelines.find(id);
    if (!access.may(user, Privilege.READ, run.targetBranch())) {
      // as SHOW RUN: a run into a branch the caller may not read is not theirs to see
      throw new TarnException(Kind.PERMISSION_DENIED, "user " + user + " lacks READ on branch "
          + run.targetBranch() + ", which run " + id + " wrote");
    }
    StringBuilder out = new StringBuilder(PipelineTools.summary(run));
    out.append("project ").append(run.projectName()).append(", started ").append(run.startedAt())
        .append(" by ").append(run.user());
    if (run.finishedAt() != null) {
      out.append(", finished ").append(run.finishedAt());
    }
    out.append('\n');
    if (run.error() != null) {
      out.append("error: ").append(run.error()).append('\n');
    }
    for (StepRecord step : run.steps()) {
      out.append("\n== ").append(step.step()).append(" (").append(step.kind()).append(", ")
          .append(step.status().name().toLowerCase(Locale.ROOT)).append(")\n");
      if (step.detail() != null) {
        out.append(step.detail()).append('\n');
      }
      if (!step.logs().isEmpty()) {
        out.append(step.logs()).append(step.logs().endsWith("\n") ? "" : "\n");
      }
      if (step.error() != null) {
        out.append("error: ").append(step.error()).append('\n');
      }
    }
    return out.toString();
  }

  static List<String> templates() {
    return List.of(TABLE_TEMPLATE, RUN_TEMPLATE);
  }

  private static TarnException unknown(String uri) {
    return new TarnException(Kind.NOT_FOUND, "no resource " + TextTable.cell(uri) + ": Tarn serves "
        + TABLE_TEMPLATE + " and " + RUN_TEMPLATE + ", names percent-encoded");
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String part) {
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TarnException(Kind.INVALID_ARGUMENT, "bad percent-encoding in " + TextTable.cell(part));
    }
  }
}
