package dev.tarn.executor.pipeline;

/**
 * A step of a run failed. The message is for people and complete on its own (which model or table,
 * what happened, the Python traceback when there is one); the run's error is built from it.
 */
final class StepFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String environment;
  private final String logs;

  /**
   * @param environment the environment hash of a Python step, or null
   * @param logs the step's captured stdout and stderr, or empty
   */
  StepFailedException(String message, String environment, String logs, Throwable cause) {
    super(message, cause);
    this.environment = environment;
    this.logs = logs == null ? "" : logs;
  }

  StepFailedException(String message, Throwable cause) {
    this(message, null, "", cause);
  }

  String environment() {
    return environment;
  }

  String logs() {
    return logs;
  }
}
