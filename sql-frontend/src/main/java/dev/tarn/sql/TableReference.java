package dev.tarn.sql;

import dev.tarn.sql.command.ReferenceSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table named by a statement, as written: {@code t}, {@code schema.t} or {@code branch.schema.t},
 * optionally with a time-travel clause ({@code t AT BRANCH dev}, {@code t AT TAG v1},
 * {@code t AT COMMIT 'hash'}, {@code t AT TIMESTAMP '...'}, {@code t FOR SYSTEM_TIME AS OF TIMESTAMP '...'}),
 * or with one whose point in time is a statement parameter ({@code t AT TIMESTAMP ?}, {@code t AT COMMIT ?},
 * {@code t FOR SYSTEM_TIME AS OF ?}). The positions let later stages rewrite exactly this reference
 * and name it in errors.
 *
 * @param nameParts the name's parts as written (quoted parts unquoted, unquoted parts in the case typed)
 * @param position the span of the name alone
 * @param at the time-travel clause, if any and written with a literal
 * @param fullPosition the span of the name and its time-travel clause (equal to {@code position}
 *     when there is no clause); replacing this span removes the clause; an alias after it is not included
 * @param alias the alias written after the reference ({@code FROM t AS x}, {@code FROM t x}), if any
 * @param filters conditions the query's WHERE puts on this table's columns, when it is the only
 *     table of its SELECT (a scan may skip files that cannot match them; empty when unknown)
 * @param atParameter the time-travel clause, if its point in time is a statement parameter; the
 *     server turns the parameter's value into {@code at} ({@link #pinnedAt}) before resolving the table
 */
public record TableReference(
    List<String> nameParts, SqlPosition position, Optional<ReferenceSpec> at, SqlPosition fullPosition,
    Optional<String> alias, List<ColumnFilter> filters, Optional<PointInTimeParameter> atParameter) {
  /** What SQL writes before the name of a session's temporary table or view ({@code temp.x}). */
  public static final String TEMPORARY_QUALIFIER = "temp";


  public TableReference {
    nameParts = List.copyOf(nameParts);
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(fullPosition, "fullPosition");
    Objects.requireNonNull(alias, "alias");
    filters = List.copyOf(filters);
    Objects.requireNonNull(atParameter, "atParameter");
    if (at.isPresent() && atParameter.isPresent()) {
      throw new IllegalArgumentException("a table reference has one time-travel clause, not two");
    }
  }

  public TableReference(List<String> nameParts, SqlPosition position, Optional<ReferenceSpec> at,
      SqlPosition fullPosition) {
    this(nameParts, position, at, fullPosition, Optional.empty(), List.of(), Optional.empty());
  }

  /** A reference whose time-travel clause takes a statement parameter. */
  public TableReference(List<String> nameParts, SqlPosition position, PointInTimeParameter atParameter,
      SqlPosition fullPosition) {
    this(nameParts, position, Optional.empty(), fullPosition, Optional.empty(), List.of(),
        Optional.of(atParameter));
  }

  /** A plain reference without a time-travel clause. */
  public TableReference(List<String> nameParts, SqlPosition position) {
    this(nameParts, position, Optional.empty(), position);
  }

  /** The same reference with its alias and scan filters. */
  public TableReference with(Optional<String> newAlias, List<ColumnFilter> newFilters) {
    return new TableReference(nameParts, position, at, fullPosition, newAlias, newFilters, atParameter);
  }

  /** The same reference read at {@code point}: a time-travel parameter with its value in place. */
  public TableReference pinnedAt(ReferenceSpec point) {
    return new TableReference(nameParts, position, Optional.of(point), fullPosition, alias, filters,
        Optional.empty());
  }

  /** Whether the reference has a time-travel clause, with a literal or a parameter. */
  public boolean hasTimeTravel() {
    return at.isPresent() || atParameter.isPresent();
  }

  public String qualifiedName() {
    return String.join(".", nameParts);
  }

  /**
   * Written {@code temp.x} or {@code temp.main.x} (in any case): as in DuckDB, the session's temporary
   * table or view x, never a lakehouse schema or branch called {@code temp} (Tarn reserves that name).
   */
  public boolean qualifiedAsTemporary() {
    return nameParts.size() > 1 && nameParts.get(0).equalsIgnoreCase(TEMPORARY_QUALIFIER)
        && (nameParts.size() == 2 || (nameParts.size() == 3 && nameParts.get(1).equalsIgnoreCase("main")));
  }
}
