package dev.tarn.sql;

/** A statement that neither Tarn's grammar nor the engine's dialect accepts; names where it went wrong. */
public final class SqlSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final SqlPosition position;

  public SqlSyntaxException(String message, SqlPosition position) {
    super("Syntax error at " + position + ": " + message);
    this.position = position;
  }

  public SqlPosition position() {
    return position;
  }
}
