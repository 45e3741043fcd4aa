package dev.tarn.executor.pipeline;

/**
 * What a finished step reports for its record.
 *
 * @param skipped whether the step had nothing to do (a materialization in a dry run)
 * @param rows rows it produced or wrote
 * @param materializedAs the table it wrote ({@code schema.table}), or null
 * @param environment the environment hash it ran in (Python steps), or null
 * @param detail what it did, for people, or null
 * @param logs captured stdout and stderr, empty when none
 */
record StepOutcome(boolean skipped, long rows, String materializedAs, String environment, String detail,
    String logs) {

  StepOutcome {
    logs = logs == null ? "" : logs;
  }

  static StepOutcome rows(long rows) {
    return new StepOutcome(false, rows, null, null, null, "");
  }

  static StepOutcome skipped(String why) {
    return new StepOutcome(true, 0, null, null, why, "");
  }
}
