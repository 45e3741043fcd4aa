package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/** {@code [WITH ...] MERGE INTO name [[AS] alias] USING ... ON ... WHEN ... [RETURNING ...]}. */
public record MergeInto(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause)
    implements RowWrite {

  public MergeInto {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
  }

  public MergeInto(TableReference target, SqlSpan targetSpan) {
    this(target, targetSpan, Optional.empty(), Optional.empty());
  }
}
