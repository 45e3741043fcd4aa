package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [WITH ...] DELETE FROM name [[AS] alias] [USING ...] [WHERE ...] [RETURNING ...]}, and
 * {@code TRUNCATE [TABLE] name} (which deletes every row).
 */
public record DeleteFrom(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause)
    implements RowWrite {

  public DeleteFrom {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
  }

  public DeleteFrom(TableReference target, SqlSpan targetSpan) {
    this(target, targetSpan, Optional.empty(), Optional.empty());
  }
}
