package dev.tarn.sql;

import dev.tarn.sql.command.TarnCommand;
import java.util.List;
import java.util.Optional;

/**
 * One statement as the frontend understood it.
 *
 * @param sql the user's original text; everything that is not a Tarn command reaches DuckDB as written
 * @param kind what the statement does
 * @param tables the tables it names, with their positions (empty when only the engine's dialect parsed it)
 * @param command Tarn's own statement, present exactly when {@code kind == TARN_COMMAND}
 * @param parsedByCalcite true when Tarn's grammar parsed the whole statement; false when it was
 *     classified by its leading keywords and left for DuckDB's dialect
 */
public record ParsedStatement(
    String sql,
    StatementKind kind,
    List<TableReference> tables,
    Optional<TarnCommand> command,
    boolean parsedByCalcite) {

  public ParsedStatement {
    tables = List.copyOf(tables);
    if (command.isPresent() != (kind == StatementKind.TARN_COMMAND)) {
      throw new IllegalArgumentException("a Tarn command must come with kind TARN_COMMAND, and only then");
    }
  }

  /** True when the statement returns rows rather than an update count. */
  public boolean returnsRows() {
    return kind == StatementKind.QUERY;
  }
}
