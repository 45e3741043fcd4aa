package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code MERGE INTO name [[AS] alias] USING source ON condition WHEN ... [RETURNING ...]}.
 *
 * @param source the text after USING up to ON: a table or a parenthesized query, with its alias
 *     (read as {@code SELECT * FROM <source>} it is a query of its own)
 * @param condition the text after ON up to the first WHEN
 * @param clauses the WHEN clauses, in order
 */
public record MergeInto(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause,
    SqlSpan source, SqlSpan condition, List<When> clauses) implements RowWrite {

  public MergeInto {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(condition, "condition");
    clauses = List.copyOf(clauses);
  }

  /** What a WHEN clause does to the rows it applies to. */
  public enum Action { UPDATE, DELETE, INSERT, NOTHING }

  /**
   * {@code WHEN [NOT] MATCHED [BY SOURCE | BY TARGET] [AND condition] THEN action}.
   *
   * @param matched whether it applies to target rows the source matched
   * @param by {@code SOURCE} or {@code TARGET} when written
   * @param condition the text after AND, when there is one
   * @param columns an INSERT's column list, as written (empty: all columns in order)
   * @param body an UPDATE's assignments (read as {@code SELECT <body>}), or an INSERT's values inside
   *     the parentheses (read the same way); empty for DELETE and DO NOTHING
   */
  public record When(boolean matched, Optional<String> by, Optional<SqlSpan> condition, Action action,
      List<String> columns, Optional<SqlSpan> body) {
    public When {
      Objects.requireNonNull(by, "by");
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(action, "action");
      columns = List.copyOf(columns);
      Objects.requireNonNull(body, "body");
    }
  }
}
