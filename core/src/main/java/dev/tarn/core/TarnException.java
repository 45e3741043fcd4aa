package dev.tarn.core;

/**
 * A request the core refuses; the message is for the user. Every front door maps the {@link Kind}
 * to its own status (a gRPC status for Flight SQL, an error code for others).
 */
public final class TarnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The class of refusal, named after the gRPC status codes that most front doors map it to. */
  public enum Kind {
    INVALID_ARGUMENT,
    /** The caller is known but lacks a privilege, or the object belongs to someone else. */
    PERMISSION_DENIED,
    UNIMPLEMENTED,
    NOT_FOUND,
    /** A configured limit was reached; the message names the limit and its flag. */
    RESOURCE_EXHAUSTED
  }

  private final Kind kind;

  public TarnException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
