package dev.tarn.core.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.sql.PointInTimeParameter;
import dev.tarn.sql.command.ReferenceSpec;
import dev.tarn.sql.command.ReferenceType;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Where a statement's time-travel parameters ({@code t AT TIMESTAMP ?}, {@code t AT COMMIT ?},
 * {@code t FOR SYSTEM_TIME AS OF ?}) point: Tarn picks a table's commit before DuckDB runs, so these
 * parameters are Tarn's to read, never the engine's.
 */
@FunctionalInterface
interface PointsInTime {
  /** A commit hash is at most this long (Nessie's hashes are 64 hex digits). */
  int MAX_COMMIT_HASH = 64;
  /** A timestamp's text is at most this long; longer values are refused before they are echoed in errors. */
  int MAX_TIMESTAMP_TEXT = 64;

  /** The point in time the parameter names, as a time-travel literal would name it. */
  ReferenceSpec at(PointInTimeParameter parameter);

  /**
   * Before values are bound (describing a prepared statement): every such table is read at the
   * head of its reference, the state the prepared statement's result schema is announced for.
   */
  static PointsInTime heads() {
    return parameter -> ReferenceSpec.of(ReferenceSpec.CURRENT, ReferenceType.ANY);
  }

  /** At run time: each parameter's bound value, by its place among the statement's {@code ?} markers. */
  static PointsInTime values(List<Object> values) {
    return parameter -> {
      if (parameter.index() >= values.size()) {
        throw new EngineException(Reason.INVALID, "parameter " + parameter.number() + " ("
            + parameter.pin().clause() + ") has no value: " + values.size() + " value(s) were bound");
      }
      return at(parameter, values.get(parameter.index()));
    };
  }

  /** Where a parameter cannot pick a point in time (the sources of lakehouse writes). */
  static PointsInTime refused() {
    return parameter -> {
      throw new EngineException(Reason.INVALID, "a time-travel parameter (" + parameter.pin().clause()
          + ") works in queries; in INSERT, UPDATE, DELETE, MERGE and CREATE TABLE AS write the point in time"
          + " as a literal, as in AT TIMESTAMP '2026-11-20 10:00:00'");
    };
  }

  /**
   * The point in time one value names. A timestamp parameter takes a timestamp (one without a time
   * zone is UTC, as in the literal {@code AT TIMESTAMP '2026-11-20 10:00:00'}), a date (its start, UTC)
   * or a string in the literal's forms; a commit parameter takes a string, a hash or a unique prefix.
   */
  static ReferenceSpec at(PointInTimeParameter parameter, Object value) {
    String what = "parameter " + parameter.number() + " (" + parameter.pin().clause() + ")";
    if (value == null) {
      throw new EngineException(Reason.INVALID, what + " is NULL; bind "
          + (parameter.pin() == PointInTimeParameter.Pin.COMMIT ? "a commit hash" : "a timestamp"));
    }
    return switch (parameter.pin()) {
      case COMMIT -> ReferenceSpec.atCommit(ReferenceSpec.CURRENT, ReferenceType.ANY, commitHash(what, value));
      case TIMESTAMP -> ReferenceSpec.atTimestamp(ReferenceSpec.CURRENT, ReferenceType.ANY, timestamp(what, value));
    };
  }

  private static String commitHash(String what, Object value) {
    if (!(value instanceof String hash)) {
      throw new EngineException(Reason.INVALID, what + " takes a commit hash as a string, not "
          + describe(value));
    }
    if (hash.isBlank() || hash.length() > MAX_COMMIT_HASH) {
      throw new EngineException(Reason.INVALID, what + ": '" + abbreviate(hash) + "' is not a commit hash;"
          + " give the hash or a unique prefix of at least 8 of its hex digits (at most " + MAX_COMMIT_HASH + ")");
    }
    return hash;
  }

  /** The value as the text of a timestamp literal, which the catalog path reads like any literal. */
  private static String timestamp(String what, Object value) {
    if (value instanceof LocalDateTime || value instanceof OffsetDateTime || value instanceof LocalDate) {
      return value.toString(); // ISO-8601, which ReferenceCommands.parseTimestamp reads back exactly
    }
    if (!(value instanceof String text)) {
      throw new EngineException(Reason.INVALID, what + " takes a timestamp (or a string such as"
          + " '2026-11-20 10:00:00'), not " + describe(value));
    }
    if (text.length() > MAX_TIMESTAMP_TEXT) {
      throw new EngineException(Reason.INVALID, what + ": cannot read the timestamp '" + abbreviate(text)
          + "' (" + text.length() + " characters)");
    }
    try {
      ReferenceCommands.parseTimestamp(text);
    } catch (IllegalArgumentException e) {
      throw new EngineException(Reason.INVALID, what + ": " + e.getMessage(), e);
    }
    return text;
  }

  /** The value's SQL type and the value itself, for messages: {@code BIGINT 42}. */
  private static String describe(Object value) {
    if (value instanceof byte[]) {
      return "BLOB";
    }
    String type;
    if (value instanceof Long) {
      type = "BIGINT";
    } else if (value instanceof Integer) {
      type = "INTEGER";
    } else if (value instanceof Short) {
      type = "SMALLINT";
    } else if (value instanceof Byte) {
      type = "TINYINT";
    } else if (value instanceof Double) {
      type = "DOUBLE";
    } else if (value instanceof Float) {
      type = "FLOAT";
    } else if (value instanceof java.math.BigDecimal) {
      type = "DECIMAL";
    } else if (value instanceof Boolean) {
      type = "BOOLEAN";
    } else if (value instanceof java.time.LocalTime) {
      type = "TIME";
    } else if (value instanceof String) {
      type = "VARCHAR";
    } else {
      type = value.getClass().getSimpleName();
    }
    return type + " " + abbreviate(String.valueOf(value));
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
