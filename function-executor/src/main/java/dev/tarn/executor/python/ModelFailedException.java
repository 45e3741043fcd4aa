package dev.tarn.executor.python;

/**
 * A Python model did not produce its output. The message names the model and says why, with the
 * model's traceback when it raised; stdout and stderr of its process are kept for the run record.
 */
public class ModelFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the model failed. */
  public enum Reason {
    /** The model (or its file, while loading) raised an exception. */
    RAISED,
    /** An expectation returned false. */
    EXPECTATION_FAILED,
    /** It ran longer than its timeout and was killed. */
    TIMEOUT,
    /** Its process died without reporting: killed by a signal (out of memory, killed from outside) or crashed. */
    KILLED,
    /** Tarn handed it an invalid request: unknown model name, missing input or parameter. */
    INVALID
  }

  private final String model;
  private final Reason reason;
  private final String errorType;
  private final String traceback;
  private final String stdout;
  private final String stderr;

  public ModelFailedException(String model, Reason reason, String message, String errorType,
      String traceback, String stdout, String stderr) {
    super(message);
    this.model = model;
    this.reason = reason;
    this.errorType = errorType;
    this.traceback = traceback == null ? "" : traceback;
    this.stdout = stdout == null ? "" : stdout;
    this.stderr = stderr == null ? "" : stderr;
  }

  public String model() {
    return model;
  }

  public Reason reason() {
    return reason;
  }

  /** The Python exception type ("ValueError"), or null when the process gave none. */
  public String errorType() {
    return errorType;
  }

  /** The Python traceback, empty when there is none. */
  public String traceback() {
    return traceback;
  }

  public String stdout() {
    return stdout;
  }

  public String stderr() {
    return stderr;
  }
}
