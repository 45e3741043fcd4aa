package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [WITH ...] DELETE FROM name [[AS] alias] [USING ...] [WHERE ...] [RETURNING ...]}, and
 * {@code TRUNCATE [TABLE] name} (which deletes every row).
 */
public record DeleteFrom(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause,
    Optional<Filter> filter) implements RowWrite {

  public DeleteFrom {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
    Objects.requireNonNull(filter, "filter");
  }

  /** Every row: {@code TRUNCATE}, or {@code DELETE FROM t} without USING or WHERE. */
  public DeleteFrom(TableReference target, SqlSpan targetSpan) {
    this(target, targetSpan, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Which rows: everything after the first {@code USING} or {@code WHERE} keyword, to the end of the
   * statement ({@code USING} clauses keep their {@code WHERE}).
   *
   * @param keyword {@code USING} or {@code WHERE}
   */
  public record Filter(String keyword, SqlSpan rest) {
    public Filter {
      if (!keyword.equals("USING") && !keyword.equals("WHERE")) {
        throw new IllegalArgumentException("a DELETE filter starts with USING or WHERE, not " + keyword);
      }
      Objects.requireNonNull(rest, "rest");
    }
  }
}
