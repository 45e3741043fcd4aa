package dev.tarn.sql.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code RUN PIPELINE 'path' [ON BRANCH name] [WITH (key = value, ...)]}.
 *
 * @param path the project directory, as written
 * @param branch the target branch; absent means the session's current branch
 * @param options in the order written; keys as written, dotted for {@code param.x}; values are the
 *     literals' text: a string's contents, a number as written ({@code 10}, {@code -1.5}),
 *     {@code true} or {@code false}
 */
public record RunPipeline(String path, Optional<String> branch, Map<String, String> options)
    implements PipelineCommand {

  public RunPipeline {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(branch, "branch");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  @Override
  public String statementName() {
    return "RUN PIPELINE";
  }
}
