package dev.tarn.executor;

/** A statement the engine could not run; the message is written for the user who sent it. */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why it failed, so the server can pick the right status for the client. */
  public enum Reason {
    /** DuckDB could not parse the statement. */
    SYNTAX,
    /** A table, column, schema or function the statement names does not exist. */
    NOT_FOUND,
    /** The statement is not allowed: files outside the warehouse, locked settings, extensions. */
    PERMISSION,
    /** The statement was cancelled by the client or timed out. */
    CANCELLED,
    /** Too many statements are running; try again. */
    BUSY,
    /** Anything else DuckDB rejected: bad input, type errors, constraint violations. */
    INVALID
  }

  private final Reason reason;

  public EngineException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public EngineException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
