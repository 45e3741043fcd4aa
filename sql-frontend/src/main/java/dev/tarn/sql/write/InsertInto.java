package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [WITH ...] INSERT [OR REPLACE | OR IGNORE] INTO name [AS alias] [BY NAME | BY POSITION] [(columns)]
 * {VALUES ... | query | DEFAULT VALUES} [ON CONFLICT ...] [RETURNING ...]}.
 *
 * @param upsert true for {@code INSERT OR REPLACE}, {@code INSERT OR IGNORE} and {@code ON CONFLICT}:
 *     the statement's outcome depends on the rows already in the table
 */
public record InsertInto(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause,
    boolean upsert) implements RowWrite {

  public InsertInto {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
  }

  public InsertInto(TableReference target, SqlSpan targetSpan) {
    this(target, targetSpan, Optional.empty(), Optional.empty(), false);
  }
}
