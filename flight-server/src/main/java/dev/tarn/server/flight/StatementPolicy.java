package dev.tarn.server.flight;

import dev.tarn.server.flight.TarnStatusException.Kind;
import dev.tarn.sql.ParsedStatement;
import dev.tarn.sql.StatementKind;
import java.util.Locale;
import java.util.Set;

/**
 * What client SQL may not do, checked before the engine sees it. The engine is locked down as well
 * (files only inside the warehouse, frozen settings); this gate adds clear messages and closes
 * what DuckDB's settings alone cannot: file-writing statements and statements that change the
 * session behind Tarn's back.
 */
final class StatementPolicy {
  private static final Set<String> FILE_STATEMENTS =
      Set.of("COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "LOAD", "FORCE");

  private StatementPolicy() {}

  static void check(ParsedStatement statement) {
    String first = statement.leadingKeyword();
    if (FILE_STATEMENTS.contains(first)) {
      throw new TarnStatusException(Kind.PERMISSION_DENIED, first + " is not allowed: client SQL cannot read or"
          + " write files, attach databases or load extensions. Query tables with SELECT; load data with"
          + " INSERT or CREATE TABLE AS.");
    }
    if (statement.kind() == StatementKind.SESSION && !first.equals("USE")) {
      throw new TarnStatusException(Kind.PERMISSION_DENIED, first + " is not allowed: engine settings are fixed by"
          + " the Tarn server. To change the current schema, use USE schema_name.");
    }
    if ((statement.kind() == StatementKind.DDL || statement.kind() == StatementKind.DML)
        && statement.write().isEmpty() && !isTemporary(statement.sql())) {
      throw new TarnStatusException(Kind.INVALID_ARGUMENT, "this " + first + " statement is not supported: tables"
          + " live in the lakehouse, where Tarn supports CREATE/DROP SCHEMA, CREATE/ALTER/DROP TABLE, INSERT,"
          + " UPDATE and DELETE; temporary objects (CREATE TEMP TABLE / CREATE TEMP VIEW) work as in DuckDB");
    }
    if (first.equals("PRAGMA") && statement.sql().contains("=")) {
      throw new TarnStatusException(Kind.PERMISSION_DENIED,
          "PRAGMA assignments are not allowed: engine settings are fixed by the Tarn server");
    }
  }

  /** {@code CREATE [OR REPLACE] TEMP|TEMPORARY ...} and drops of such objects: session-local, outside the lakehouse. */
  private static boolean isTemporary(String sql) {
    String head = sql.strip().toUpperCase(Locale.ROOT);
    return head.matches("(?s)^(CREATE\\s+(OR\\s+REPLACE\\s+)?(TEMP|TEMPORARY)\\b|DROP\\s+(VIEW|TABLE|MACRO)\\s+(IF\\s+EXISTS\\s+)?TEMP\\.).*");
  }
}
