package dev.tarn.core.lakehouse;

import dev.tarn.executor.EngineReading;
import dev.tarn.executor.EngineSession;
import dev.tarn.sql.write.InsertInto;
import dev.tarn.sql.write.TableWrite;
import java.util.Optional;
import java.util.Set;

/**
 * Which INSERTs take the short path of a row of constants. sql-frontend proposes the row from its
 * tokens ({@link InsertInto#constantRow()}); DuckDB's own reading of {@code VALUES <row>} decides:
 * one query that names no table, table function or SHOW, and calls only functions whose work is
 * bounded by their arguments' length (DuckDB reads list and struct literals, arithmetic and
 * concatenation as function calls). Anything else, a list comprehension for one, whose work grows
 * faster than its text, takes the general path, where the query timeout applies.
 */
final class ConstantRows {
  private static final Set<String> BOUNDED = Set.of(
      "list_value", "struct_pack", "+", "-", "*", "/", "//", "%", "||",
      "to_years", "to_months", "to_weeks", "to_days", "to_hours", "to_minutes", "to_seconds",
      "to_milliseconds", "to_microseconds");

  private ConstantRows() {}

  /** The row of {@code write} when it is a one-row INSERT of constants, as DuckDB reads it. */
  static Optional<InsertInto.ConstantRow> of(TableWrite write, EngineSession engine) {
    if (!(write instanceof InsertInto insert) || insert.constantRow().isEmpty()) {
      return Optional.empty();
    }
    InsertInto.ConstantRow row = insert.constantRow().get();
    EngineReading reading = engine.read(query(row));
    boolean constant = reading.isOneQuery() && reading.tables().isEmpty() && reading.tableFunctions().isEmpty()
        && reading.shows().isEmpty() && BOUNDED.containsAll(reading.functions());
    return constant ? Optional.of(row) : Optional.empty();
  }

  /** The row as the query DuckDB reads, judges and runs: {@code VALUES <row>}. */
  static String query(InsertInto.ConstantRow row) {
    return "VALUES " + row.text();
  }
}
