package dev.tarn.sql;

/**
 * A time-travel clause whose point in time is a statement parameter: {@code t AT TIMESTAMP ?},
 * {@code t FOR SYSTEM_TIME AS OF ?} or {@code t AT COMMIT ?}. The server takes the parameter's value
 * to pick the commit the table is read at; the engine never sees this parameter.
 *
 * @param index the parameter's place among the statement's {@code ?} markers, counted from 0 left to
 *     right (the order in which clients bind values)
 * @param pin what the value names
 */
public record PointInTimeParameter(int index, Pin pin) {

  /** What a time-travel parameter's value names. */
  public enum Pin {
    /** A commit hash or a unique prefix of it ({@code AT COMMIT ?}). */
    COMMIT("AT COMMIT ?"),
    /** A moment: the newest commit at or before it ({@code AT TIMESTAMP ?}, {@code FOR SYSTEM_TIME AS OF ?}). */
    TIMESTAMP("AT TIMESTAMP ?");

    private final String clause;

    Pin(String clause) {
      this.clause = clause;
    }

    /** The clause as users write it, for messages. */
    public String clause() {
      return clause;
    }
  }

  public PointInTimeParameter {
    if (index < 0) {
      throw new IllegalArgumentException("a parameter index counts from 0, not " + index);
    }
    java.util.Objects.requireNonNull(pin, "pin");
  }

  /** The parameter's number as clients count them, from 1. */
  public int number() {
    return index + 1;
  }
}
