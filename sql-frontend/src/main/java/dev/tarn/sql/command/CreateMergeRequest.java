package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code CREATE MERGE REQUEST FROM source INTO target [TITLE 'text'] [PROJECT 'path']}.
 *
 * @param project a project in the server's projects folder whose expectations approval checks first
 */
public record CreateMergeRequest(String source, String target, Optional<String> title, Optional<String> project)
    implements MergeRequestCommand {

  public CreateMergeRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(project, "project");
  }

  @Override
  public String statementName() {
    return "CREATE MERGE REQUEST";
  }
}
