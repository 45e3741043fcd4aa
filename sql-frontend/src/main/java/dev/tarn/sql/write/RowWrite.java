package dev.tarn.sql.write;

import java.util.Optional;

/**
 * A statement that changes the rows of an existing table. The server can replace {@link #targetSpan()}
 * with a scratch table's name and let the engine run the statement as written.
 *
 * <p>Without an {@link #alias()}, the rest of the statement may qualify columns with the table's own
 * name ({@code UPDATE t SET a = 1 WHERE t.b = 2}); replacing the target with {@code scratch AS t}
 * (the name's last part) keeps such references working.
 */
public sealed interface RowWrite extends TargetedWrite
    permits InsertInto, UpdateTable, DeleteFrom, MergeInto, CopyFrom {

  /** The span of the target's name (without any alias after it). */
  SqlSpan targetSpan();

  /** The alias given to the target ({@code UPDATE t AS x}, {@code DELETE FROM t x}), unquoted. */
  Optional<String> alias();

  /** The span of the {@code RETURNING ...} clause, to the end of the statement, when there is one. */
  Optional<SqlSpan> returningClause();

  /** True when the statement already has a RETURNING clause. */
  default boolean hasReturning() {
    return returningClause().isPresent();
  }

  /** {@code sql} with the target's name replaced by {@code replacement}. */
  default String withTarget(String sql, String replacement) {
    return targetSpan().replaceIn(sql, replacement);
  }
}
