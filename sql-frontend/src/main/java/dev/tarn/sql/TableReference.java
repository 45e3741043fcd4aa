package dev.tarn.sql;

import dev.tarn.sql.command.ReferenceSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table named by a statement, as written: {@code t}, {@code schema.t} or {@code branch.schema.t},
 * optionally with a time-travel clause ({@code t AT BRANCH dev}, {@code t AT TAG v1},
 * {@code t AT COMMIT 'hash'}, {@code t AT TIMESTAMP '...'}, {@code t FOR SYSTEM_TIME AS OF TIMESTAMP '...'}).
 * The positions let later stages rewrite exactly this reference and name it in errors.
 *
 * @param nameParts the name's parts as written (quoted parts unquoted, unquoted parts in the case typed)
 * @param position the span of the name alone
 * @param at the time-travel clause, if any
 * @param fullPosition the span of the name and its time-travel clause (equal to {@code position}
 *     when there is no clause); replacing this span removes the clause; an alias after it is not included
 * @param alias the alias written after the reference ({@code FROM t AS x}, {@code FROM t x}), if any
 * @param filters conditions the query's WHERE puts on this table's columns, when it is the only
 *     table of its SELECT (a scan may skip files that cannot match them; empty when unknown)
 */
public record TableReference(
    List<String> nameParts, SqlPosition position, Optional<ReferenceSpec> at, SqlPosition fullPosition,
    Optional<String> alias, List<ColumnFilter> filters) {

  public TableReference {
    nameParts = List.copyOf(nameParts);
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(fullPosition, "fullPosition");
    Objects.requireNonNull(alias, "alias");
    filters = List.copyOf(filters);
  }

  public TableReference(List<String> nameParts, SqlPosition position, Optional<ReferenceSpec> at,
      SqlPosition fullPosition) {
    this(nameParts, position, at, fullPosition, Optional.empty(), List.of());
  }

  /** A plain reference without a time-travel clause. */
  public TableReference(List<String> nameParts, SqlPosition position) {
    this(nameParts, position, Optional.empty(), position);
  }

  /** The same reference with its alias and scan filters. */
  public TableReference with(Optional<String> newAlias, List<ColumnFilter> newFilters) {
    return new TableReference(nameParts, position, at, fullPosition, newAlias, newFilters);
  }

  public String qualifiedName() {
    return String.join(".", nameParts);
  }
}
