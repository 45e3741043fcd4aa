package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;

/**
 * {@code CREATE [OR REPLACE] [TEMP | TEMPORARY] VIEW [IF NOT EXISTS] name AS query}. Only the session's
 * temporary views exist so far; a view in the lakehouse is refused when it is run.
 *
 * @param asQuery the span of the query after AS, to the end of the statement
 */
public record CreateView(TableReference target, boolean orReplace, boolean ifNotExists, boolean temporary,
    SqlSpan asQuery) implements TargetedWrite {

  public CreateView {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(asQuery, "asQuery");
  }
}
