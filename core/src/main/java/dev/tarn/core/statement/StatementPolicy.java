package dev.tarn.core.statement;

import dev.tarn.core.TarnException;
import dev.tarn.core.TarnException.Kind;
import dev.tarn.sql.ParsedStatement;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The allow-list of what client SQL may be, by route: queries (which reach DuckDB only after its
 * own parser read them as one query; see {@code lakehouse.QueryCheck}), Tarn's commands, transaction
 * control and {@code USE schema} (which Tarn does itself), and writes Tarn understands: lakehouse
 * DDL and DML and temporary tables and views (whose DuckDB text Tarn composes; see {@code
 * lakehouse.WriteComposer}). Every other statement is refused here, before any engine sees it; the
 * leading keyword only picks the message.
 */
final class StatementPolicy {
  private static final Set<String> FILE_STATEMENTS =
      Set.of("COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "LOAD", "FORCE");
  private static final Set<String> WRAPPERS = Set.of("PREPARE", "EXECUTE", "DEALLOCATE", "CALL", "PRAGMA", "PIVOT",
      "UNPIVOT", "PIVOT_WIDER", "PIVOT_LONGER");

  private StatementPolicy() {}

  /**
   * Refuses what is not on the list.
   *
   * @param syntaxError DuckDB's syntax error for a text, if its parser rejects it: a refused text
   *     that DuckDB cannot even parse gets the syntax error instead, with its position
   */
  static void check(ParsedStatement statement, Function<String, Optional<String>> syntaxError) {
    try {
      check(statement);
    } catch (TarnException refused) {
      Optional<String> error = syntaxError.apply(statement.sql());
      if (error.isPresent()) {
        throw new TarnException(Kind.INVALID_ARGUMENT, error.get());
      }
      throw refused;
    }
  }

  private static void check(ParsedStatement statement) {
    String first = statement.leadingKeyword();
    switch (statement.kind()) {
      case QUERY, TARN_COMMAND, TRANSACTION -> {
        if (WRAPPERS.contains(first)) {
          throw wrapper(first);
        }
      }
      case SESSION -> {
        if (!first.equals("USE")) {
          throw new TarnException(Kind.PERMISSION_DENIED, first + " is not allowed: engine settings are fixed"
              + " by the Tarn server. To change the current schema, use USE schema_name.");
        }
      }
      case DDL, DML -> {
        if (statement.write().isEmpty()) {
          throw refused(first);
        }
      }
      default -> throw refused(first);
    }
  }

  private static TarnException refused(String first) {
    if (FILE_STATEMENTS.contains(first)) {
      return new TarnException(Kind.PERMISSION_DENIED, first + " is not allowed: client SQL cannot read or"
          + " write files, attach databases or load extensions. Query tables with SELECT; load data with"
          + " INSERT or CREATE TABLE AS.");
    }
    if (WRAPPERS.contains(first)) {
      return wrapper(first);
    }
    String what = first.isEmpty() ? "this statement" : "this " + first + " statement";
    return new TarnException(Kind.PERMISSION_DENIED, what + " is not allowed: Tarn runs queries (SELECT,"
        + " VALUES, WITH, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN), its own commands, transactions, USE, lakehouse"
        + " DDL and DML (CREATE/DROP SCHEMA, CREATE/ALTER/DROP TABLE, INSERT, UPDATE, DELETE) and temporary tables"
        + " and views (CREATE TEMP TABLE / CREATE TEMP VIEW)");
  }

  private static TarnException wrapper(String first) {
    String hint = switch (first) {
      case "PRAGMA", "CALL" -> " Call table functions in a query instead, e.g. SELECT * FROM pragma_version().";
      case "PIVOT", "UNPIVOT", "PIVOT_WIDER", "PIVOT_LONGER" ->
          " Write the pivot inside a query: SELECT * FROM t PIVOT (sum(v) FOR k IN ('a', 'b')).";
      default -> " Send the statement itself; JDBC and ADBC prepare statements for you.";
    };
    return new TarnException(Kind.PERMISSION_DENIED, first + " is not allowed: it runs a statement Tarn"
        + " cannot see in full." + hint);
  }
}
