package dev.tarn.sql;

/**
 * A statement larger or more deeply nested than the server allows; refused before any parser read
 * it. The message names the limit, the statement's value and the server flag that sets the limit.
 */
public final class StatementLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The limits a statement's text is held to. */
  public enum Limit {
    STATEMENT_BYTES("size", "bytes", "--max-statement-bytes"),
    NESTING_DEPTH("nesting depth", "levels", "--max-nesting-depth");

    private final String description;
    private final String unit;
    private final String flag;

    Limit(String description, String unit, String flag) {
      this.description = description;
      this.unit = unit;
      this.flag = flag;
    }

    /** The {@code tarn serve} option that sets this limit. */
    public String flag() {
      return flag;
    }
  }

  private final Limit limit;
  private final long value;
  private final long maximum;

  StatementLimitException(Limit limit, long value, long maximum) {
    super(message(limit, value, maximum));
    this.limit = limit;
    this.value = value;
    this.maximum = maximum;
  }

  private static String message(Limit limit, long value, long maximum) {
    // The checks stop counting once past the limit, so the value is a lower bound.
    return "the statement's " + limit.description + " (at least " + value + " " + limit.unit + ") exceeds the"
        + " server's limit of " + maximum + " " + limit.unit + " (set by tarn serve " + limit.flag + ")"
        + (limit == Limit.STATEMENT_BYTES
            ? "; send large data through bulk ingest or parameters instead of SQL text"
            : "; flatten the statement, e.g. with WITH clauses");
  }

  public Limit limit() {
    return limit;
  }

  /** The statement's value as far as the check counted: at least this, more than {@link #maximum()}. */
  public long value() {
    return value;
  }

  public long maximum() {
    return maximum;
  }
}
