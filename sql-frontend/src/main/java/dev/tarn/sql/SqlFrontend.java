package dev.tarn.sql;

import java.util.List;
import java.util.Optional;

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

  /** Splits a script into statements on top-level semicolons (not inside quotes or comments). */
  List<String> splitScript(String script);
}
