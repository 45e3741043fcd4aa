package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code UPDATE name [[AS] alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]}.
 *
 * @param assignments everything after {@code SET}, to the end of the statement: the assignments and
 *     any FROM and WHERE clauses (read as {@code SELECT <assignments>} it is a query of its own)
 */
public record UpdateTable(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause,
    SqlSpan assignments) implements RowWrite {

  public UpdateTable {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
    Objects.requireNonNull(assignments, "assignments");
  }
}
