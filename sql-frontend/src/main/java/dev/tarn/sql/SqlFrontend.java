package dev.tarn.sql;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The first stage every statement passes through: parse, classify, find table references. */
public interface SqlFrontend {

  /**
   * Parses one statement.
   *
   * @throws SqlSyntaxException when the statement is one of Tarn's own commands written wrongly,
   *     or is empty, or writes a table in a form Tarn must understand but cannot (a write without a
   *     target name, a malformed {@code PARTITIONED BY}, ...); statements in DuckDB's dialect that
   *     Tarn's grammar does not know are classified by keyword instead, and DuckDB reports their
   *     syntax errors
   */
  ParsedStatement parse(String sql);

  /**
   * {@code EXPLAIN [ANALYZE] statement}: the statement explained, as a text of its own; empty for any
   * other text. The server judges and binds the explained statement like any other.
   */
  Optional<Explain> explain(String sql);

  /**
   * The names a boolean expression over one table's columns mentions (the last part of each
   * identifier, unquoted), or empty when Tarn's grammars cannot read the expression. A pipeline
   * input's filter uses it to scan the columns the filter needs.
   */
  Optional<Set<String>> namesIn(String predicate);

  /**
   * The conditions of a boolean expression over one table's columns that a scan can check against
   * file metadata, read as {@link #namesIn} reads the expression, in the form pipelines embed it in
   * DuckDB's statements; empty when Tarn's grammars cannot read it as DuckDB will. Only unqualified
   * column names count.
   */
  Optional<ScanConditions> conditionsOf(String predicate);

  /** Splits a script into statements on top-level semicolons (not inside quotes or comments). */
  List<String> splitScript(String script);

  /**
   * Whether a statement may take bound values: it holds a {@code ?} or a {@code $} outside strings,
   * quoted names and comments ({@code $1}, {@code $name} are DuckDB's other markers). False means
   * it surely takes none.
   */
  boolean mayTakeParameters(String sql);
}
