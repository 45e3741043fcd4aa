package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/** {@code [WITH ...] UPDATE name [[AS] alias] SET ... [FROM ...] [WHERE ...] [RETURNING ...]}. */
public record UpdateTable(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause)
    implements RowWrite {

  public UpdateTable {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
  }

  public UpdateTable(TableReference target, SqlSpan targetSpan) {
    this(target, targetSpan, Optional.empty(), Optional.empty());
  }
}
