package dev.tarn.core.session;

import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.command.UseReference;
import dev.tarn.sql.write.CreateTable;
import dev.tarn.sql.write.CreateView;
import java.util.Optional;

/**
 * Statements whose whole effect is state left in the session for the statements after them: they
 * mean nothing to a client that does not come back to its session.
 */
public final class StatefulStatements {
  private StatefulStatements() {}

  /** What the statement changes in the session, for the error message; empty for other statements. */
  public static Optional<String> sessionChange(ParsedStatement statement) {
    if (statement.kind() == StatementKind.TRANSACTION) {
      return Optional.of(statement.leadingKeyword() + " as SQL");
    }
    if (statement.kind() == StatementKind.SESSION && statement.leadingKeyword().equals("USE")) {
      return Optional.of("USE");
    }
    if (statement.command().orElse(null) instanceof UseReference use) {
      return Optional.of("USE " + use.reference().type().keyword());
    }
    boolean temporary = statement.write()
        .map(w -> (w instanceof CreateTable t && t.temporary()) || (w instanceof CreateView v && v.temporary()))
        .orElse(false);
    if (temporary) {
      return Optional.of("CREATE TEMPORARY");
    }
    return Optional.empty();
  }
}
