package dev.tarn.sql.command;

import java.util.Objects;

/** {@code SHOW RUN 'id'}: one run, per model. */
public record ShowRun(String id) implements PipelineCommand {
  public ShowRun {
    Objects.requireNonNull(id, "id");
  }

  @Override
  public String statementName() {
    return "SHOW RUN";
  }
}
