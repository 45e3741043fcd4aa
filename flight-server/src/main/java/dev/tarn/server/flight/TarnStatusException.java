package dev.tarn.server.flight;

/** A statement the server refuses before it reaches the engine; the message is for the user. */
public final class TarnStatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which gRPC status the client sees. */
  public enum Kind { INVALID_ARGUMENT, PERMISSION_DENIED, UNIMPLEMENTED, NOT_FOUND, RESOURCE_EXHAUSTED }

  private final Kind kind;

  public TarnStatusException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
