package dev.tarn.executor;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How DuckDB's own parser reads a text, without binding or running it: how many statements it
 * holds, whether every one is a query (DuckDB's SELECT statement: SELECT, VALUES, WITH, FROM-first,
 * TABLE, SHOW, DESCRIBE, SUMMARIZE), and, for queries, every table, table function and SHOW the
 * parse tree names. This is the reading the server judges client SQL by (see {@link
 * EngineSession#read}): a second parser of DuckDB's dialect could disagree with DuckDB about where a
 * comment ends or a statement stops; this reading cannot.
 *
 * @param statements statements in the text as DuckDB splits it; 0 when it does not parse or is
 *     not only queries
 * @param refusal why DuckDB would not serialize the text: its syntax error, or that some statement
 *     is not a query; empty when every statement is a query
 * @param tables every table reference of the parse tree, subqueries and CTEs included
 * @param tableFunctions every table function call, with the string constants of its first argument
 * @param shows every SHOW, DESCRIBE and SUMMARIZE
 * @param functions the names of every function the parse tree calls (scalar, aggregate, table)
 * @param rowCountColumn when the text is exactly {@code SELECT count(*) FROM} one table (an alias
 *     for the count, and for the table, at most; no clause, modifier or other expression), the name
 *     DuckDB gives its one column; the table is the one {@code tables} holds
 */
public record EngineReading(
    int statements,
    Optional<String> refusal,
    List<TableName> tables,
    List<TableFunctionCall> tableFunctions,
    List<Show> shows,
    Set<String> functions,
    Optional<String> rowCountColumn) {

  /** The refusal of a text DuckDB parses but that holds a statement other than a query. */
  public static final String NOT_ONLY_QUERIES = "not only queries";

  public EngineReading {
    tables = List.copyOf(tables);
    tableFunctions = List.copyOf(tableFunctions);
    shows = List.copyOf(shows);
    functions = Set.copyOf(functions);
  }

  /** DuckDB's syntax error, when its parser rejects the text. */
  public Optional<String> syntaxError() {
    return refusal.filter(r -> !r.equals(NOT_ONLY_QUERIES));
  }

  /** True when the text is exactly one query, as DuckDB reads it. */
  public boolean isOneQuery() {
    return refusal.isEmpty() && statements == 1;
  }

  /**
   * A table as the query names it; empty parts were not written.
   *
   * @param hasAtClause DuckDB's own {@code AT (VERSION => ...)} clause follows the name
   */
  public record TableName(String catalog, String schema, String table, boolean hasAtClause) {

    /** The parts written, joined with dots. */
    public String qualifiedName() {
      StringBuilder name = new StringBuilder();
      for (String part : List.of(catalog, schema, table)) {
        if (!part.isEmpty()) {
          name.append(name.length() == 0 ? "" : ".").append(part);
        }
      }
      return name.toString();
    }
  }

  /**
   * A table function call such as {@code range(3)} or {@code read_parquet([...])}.
   *
   * @param stringArguments the string constants of its first argument (a list's elements), in order
   */
  public record TableFunctionCall(String name, List<String> stringArguments) {
    public TableFunctionCall {
      stringArguments = List.copyOf(stringArguments);
    }
  }

  /**
   * A SHOW, DESCRIBE or SUMMARIZE: DuckDB's kind ({@code SHOW_SPECIAL}, {@code SHOW_FROM}, {@code
   * SHOW}, {@code DESCRIBE}, {@code SUMMARY}), the catalog and schema it names (empty when not
   * written; {@code SHOW TABLES FROM x} puts {@code x} in the schema), and the name it shows ({@code
   * tables}, {@code databases}, {@code __show_tables_expanded} for SHOW ALL TABLES, a table...).
   */
  public record Show(String kind, String catalog, String schema, String name) {}
}
