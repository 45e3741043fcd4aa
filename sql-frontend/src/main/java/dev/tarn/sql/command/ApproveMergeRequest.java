package dev.tarn.sql.command;

/** {@code APPROVE MERGE REQUEST id}: checks the request, then merges it as one commit. */
public record ApproveMergeRequest(long id) implements MergeRequestCommand {
  @Override
  public String statementName() {
    return "APPROVE MERGE REQUEST";
  }
}
