package dev.tarn.sql.write;

import dev.tarn.sql.TableReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [WITH ...] INSERT [OR REPLACE | OR IGNORE] INTO name [AS alias] [BY NAME | BY POSITION] [(columns)]
 * {VALUES ... | query | DEFAULT VALUES} [ON CONFLICT ...] [RETURNING ...]}.
 *
 * @param upsert true for {@code INSERT OR REPLACE}, {@code INSERT OR IGNORE} and {@code ON CONFLICT}:
 *     the statement's outcome depends on the rows already in the table
 * @param columns the column list after the name, unquoted; empty without one
 * @param byName true for {@code BY NAME}
 * @param source the rows inserted, as a query of its own: a leading {@code WITH} clause, then the
 *     {@code VALUES} or query text (the spans joined by a line break); empty for {@code DEFAULT VALUES}
 * @param onConflict its {@code ON CONFLICT (columns) DO ...} clause, when it has one with columns
 * @param constantRow the source when it is one row of constants (see {@link ConstantRow}), for a
 *     plain {@code INSERT INTO name [(columns)] VALUES (...)}; empty otherwise
 */
public record InsertInto(
    TableReference target, SqlSpan targetSpan, Optional<String> alias, Optional<SqlSpan> returningClause,
    boolean upsert, List<String> columns, boolean byName, Optional<String> source,
    Optional<OnConflict> onConflict, Optional<ConstantRow> constantRow) implements RowWrite {

  /**
   * One parenthesized row of {@code VALUES} that looks like constants from its tokens: literals
   * (nested lists and structs too), operators and {@code CAST}s; no table, column or function name
   * other than a cast, no query or list comprehension, no {@code DEFAULT} and no parameter marker.
   * This is a proposal: the lakehouse asks DuckDB's own reading of it before taking it as constants.
   *
   * @param text the row as written, from its {@code (} to its {@code )}
   * @param width the number of values in it
   */
  public record ConstantRow(String text, int width) {
    public ConstantRow {
      Objects.requireNonNull(text, "text");
      if (width < 1) {
        throw new IllegalArgumentException("a row holds at least one value");
      }
    }
  }

  /**
   * {@code ON CONFLICT (columns) DO NOTHING} or {@code ... DO UPDATE SET assignments [WHERE ...]}.
   *
   * @param columns the columns whose values identify a row, as written
   * @param update the text after {@code DO UPDATE SET} (read as {@code SELECT <update>} it is a query
   *     of its own); empty for {@code DO NOTHING}
   */
  public record OnConflict(List<String> columns, Optional<SqlSpan> update) {
    public OnConflict {
      columns = List.copyOf(columns);
      Objects.requireNonNull(update, "update");
    }
  }

  public InsertInto {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(targetSpan, "targetSpan");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(returningClause, "returningClause");
    columns = List.copyOf(columns);
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(onConflict, "onConflict");
    Objects.requireNonNull(constantRow, "constantRow");
  }
}
