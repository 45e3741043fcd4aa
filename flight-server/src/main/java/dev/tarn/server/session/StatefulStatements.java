package dev.tarn.server.session;

import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.StatementKind;
import dev.tarn.sql.command.UseReference;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Statements whose whole effect is state left in the session for the statements after them: they
 * mean nothing to a client that does not come back to its session.
 */
public final class StatefulStatements {
  private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s|--[^\\n\\r]*|/\\*(?s:.*?)\\*/)*");
  private static final Pattern CREATE_TEMPORARY =
      Pattern.compile("(?is)^CREATE\\s+(OR\\s+REPLACE\\s+)?(TEMP|TEMPORARY)\\b.*");

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
    if (statement.leadingKeyword().equals("CREATE")
        && CREATE_TEMPORARY.matcher(LEADING_COMMENTS.matcher(statement.sql()).replaceFirst("")).matches()) {
      return Optional.of("CREATE TEMPORARY");
    }
    return Optional.empty();
  }
}
