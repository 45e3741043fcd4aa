package dev.tarn.executor.pipeline;

/**
 * One step of a run as recorded: a scan, a model, an expectation or a materialization.
 *
 * @param step the plan's step id ({@code euro_selection}, {@code scan:public.transactions},
 *     {@code materialize:usd_by_country}, {@code expectation:positive})
 * @param model the model (or expectation, or table for a scan) the step belongs to
 * @param kind {@code scan}, {@code sql}, {@code python}, {@code expectation} or {@code materialize}
 * @param status where it stands
 * @param rows rows produced (scans and models), written (materialize); 0 otherwise
 * @param durationMs wall time, 0 until it ends
 * @param materializedAs {@code schema.table} written on the run branch, or null
 * @param environment the environment hash a Python step ran in, or null
 * @param detail what the step did, for people: for a scan the columns read, the filter and the
 *     data files read out of the table's total (and how many came from the scan cache); null when there
 *     is nothing to say
 * @param logs the step's captured stdout and stderr (Python steps), empty otherwise
 * @param error why it failed (with the traceback for Python), or null
 */
public record StepRecord(String step, String model, String kind, Status status, long rows, long durationMs,
    String materializedAs, String environment, String detail, String logs, String error) {

  public enum Status { PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED }

  public StepRecord {
    logs = logs == null ? "" : logs;
  }

  public static StepRecord pending(String step, String model, String kind) {
    return new StepRecord(step, model, kind, Status.PENDING, 0, 0, null, null, null, "", null);
  }

  public StepRecord withStatus(Status newStatus) {
    return new StepRecord(step, model, kind, newStatus, rows, durationMs, materializedAs, environment, detail, logs,
        error);
  }
}
