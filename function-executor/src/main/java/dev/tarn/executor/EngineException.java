package dev.tarn.executor;

import java.util.Optional;

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

  /**
   * A place in the statement text the engine ran: its line, from 1, and its column, from 1. Of a
   * long line the engine shows only a part, its {@code window}: then the column is within that
   * part, and only the text it ran can tell the line's column.
   *
   * @param window the part of the line the engine showed, or null when it showed the whole line
   */
  public record Position(int line, int column, String window) {
    public Position(int line, int column) {
      this(line, column, null);
    }
  }

  private final Reason reason;
  private final String detail;
  private final Position position;

  public EngineException(Reason reason, String message, Throwable cause) {
    this(reason, message, null, cause);
  }

  public EngineException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  /**
   * @param position where in the text the engine ran the error is, or null; the message ends with
   *     it when it knows the column in the whole line
   */
  public EngineException(Reason reason, String detail, Position position, Throwable cause) {
    super(position == null || position.window() != null ? detail
        : detail + " (at line " + position.line() + ", column " + position.column() + ")", cause);
    this.reason = reason;
    this.detail = detail;
    this.position = position;
  }

  public Reason reason() {
    return reason;
  }

  /** The message without its position. */
  String detail() {
    return detail;
  }

  /** Where in the text the engine ran the error is, when the engine said. */
  public Optional<Position> position() {
    return Optional.ofNullable(position);
  }

  /**
   * The same error at another place (null: none), for a client whose text differs from the one the
   * engine ran: a position in Tarn's rewritten text would point the client at the wrong place.
   */
  public EngineException placedAt(Position elsewhere) {
    EngineException moved = new EngineException(reason, detail, elsewhere, getCause());
    moved.setStackTrace(getStackTrace());
    return moved;
  }
}
