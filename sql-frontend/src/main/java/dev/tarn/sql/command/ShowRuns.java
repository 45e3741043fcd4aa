package dev.tarn.sql.command;

/** {@code SHOW RUNS}: the recorded pipeline runs. */
public record ShowRuns() implements PipelineCommand {
  @Override
  public String statementName() {
    return "SHOW RUNS";
  }
}
