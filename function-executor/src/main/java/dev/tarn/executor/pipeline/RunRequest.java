package dev.tarn.executor.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: a project folder against a target branch.
 *
 * @param projectDir the project folder, already checked to be one the caller may run
 * @param project how the run record names the project (the path as the user wrote it)
 * @param targetBranch the branch the materialized tables merge into
 * @param dryRun run every model and expectation, materialize and commit nothing
 * @param parameters run parameters by name ({@code WITH (param.x = 'v')}): text, or JSON's Long/Double/Boolean/String
 * @param user who runs it (author of the merge commit)
 */
public record RunRequest(Path projectDir, String project, String targetBranch, boolean dryRun,
    Map<String, ?> parameters, String user) {

  public RunRequest {
    Objects.requireNonNull(projectDir, "projectDir");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(targetBranch, "targetBranch");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    user = user == null ? "anonymous" : user;
  }
}
