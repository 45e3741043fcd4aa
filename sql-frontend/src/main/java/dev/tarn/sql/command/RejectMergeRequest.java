package dev.tarn.sql.command;

import java.util.Objects;
import java.util.Optional;

/** {@code REJECT MERGE REQUEST id [REASON 'text']}. */
public record RejectMergeRequest(long id, Optional<String> reason) implements MergeRequestCommand {
  public RejectMergeRequest {
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public String statementName() {
    return "REJECT MERGE REQUEST";
  }
}
