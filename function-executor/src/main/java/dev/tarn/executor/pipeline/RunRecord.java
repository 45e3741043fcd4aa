package dev.tarn.executor.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * A pipeline run as recorded, at one moment (runs are recorded as they progress).
 *
 * @param id the run id, a short unique token ({@code SHOW RUN 'id'})
 * @param project the project as the user named it
 * @param projectName the project's name ({@code tarn_project.yml}, else the folder name); null when
 *     the project could not be loaded
 * @param targetBranch the branch the run merges into
 * @param runBranch the temporary branch the run works on; null for a dry run or before it exists;
 *     kept after a failure for inspection, deleted after a successful merge
 * @param status where the run stands
 * @param dryRun whether it commits nothing
 * @param user who started it
 * @param startedAt when it started
 * @param finishedAt when it ended, null while running
 * @param targetHashBefore the target branch's commit when the run started
 * @param mergeCommit the commit the run's merge made on the target, null until then (and for dry runs)
 * @param error what failed, for people (model, traceback, what was kept), or null
 * @param steps every step of the plan in plan order; empty when planning failed
 */
public record RunRecord(String id, String project, String projectName, String targetBranch, String runBranch,
    Status status, boolean dryRun, String user, Instant startedAt, Instant finishedAt, String targetHashBefore,
    String mergeCommit, String error, List<StepRecord> steps) {

  /**
   * Where a run stands. CANCELLED: its client cancelled it or went away before the run merged;
   * like a failure, the target is unchanged.
   */
  public enum Status { RUNNING, SUCCEEDED, FAILED, CANCELLED }

  public RunRecord {
    steps = List.copyOf(steps);
  }
}
