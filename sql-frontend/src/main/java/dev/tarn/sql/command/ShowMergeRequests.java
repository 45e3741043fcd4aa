package dev.tarn.sql.command;

/** {@code SHOW MERGE REQUESTS}: the requests whose source and target the user may read. */
public record ShowMergeRequests() implements MergeRequestCommand {
  @Override
  public String statementName() {
    return "SHOW MERGE REQUESTS";
  }
}
