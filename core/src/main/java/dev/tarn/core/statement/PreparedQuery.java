package dev.tarn.core.statement;

import dev.tarn.sql.StatementKind;
import dev.tarn.executor.StatementDescription;
import dev.tarn.sql.ParsedStatement;
import java.util.Optional;

/**
 * A statement that passed the frontend and the policy, with what it will return.
 *
 * @param useSchema present when the statement is {@code USE schema}, which Tarn runs itself
 */
public record PreparedQuery(ParsedStatement parsed, StatementDescription description, Optional<String> useSchema) {

  public boolean isTransactionControl() {
    return parsed.kind() == StatementKind.TRANSACTION;
  }

  public boolean returnsRows() {
    return description.returnsRows();
  }
}
