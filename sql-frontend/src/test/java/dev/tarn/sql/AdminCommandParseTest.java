package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.sql.command.AdminCommand;
import dev.tarn.sql.command.TarnCommand;
import dev.tarn.sql.command.admin.KillQuery;
import dev.tarn.sql.command.admin.KillSession;
import dev.tarn.sql.command.admin.ShowAudit;
import dev.tarn.sql.command.admin.ShowHistory;
import dev.tarn.sql.command.admin.ShowQueries;
import dev.tarn.sql.command.admin.ShowSessions;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The administration statements: each form parses to its command, and its SQL parses back to it. */
class AdminCommandParseTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  static Stream<Arguments> statements() {
    return Stream.of(
        Arguments.of("SHOW AUDIT", new ShowAudit(OptionalInt.empty())),
        Arguments.of("show audit limit 5;", new ShowAudit(OptionalInt.of(5))),
        Arguments.of("SHOW HISTORY", new ShowHistory(OptionalInt.empty())),
        Arguments.of("SHOW QUERY HISTORY LIMIT 20", new ShowHistory(OptionalInt.of(20))),
        Arguments.of("SHOW SESSIONS", new ShowSessions()),
        Arguments.of("SHOW QUERIES", new ShowQueries()),
        Arguments.of("KILL QUERY 'q-0123456789abcdef'", new KillQuery("q-0123456789abcdef")),
        Arguments.of("kill session 'it''s ✓'", new KillSession("it's ✓")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void parsesAndRoundTrips(String sql, TarnCommand expected) {
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(StatementKind.TARN_COMMAND, parsed.kind());
    assertEquals(expected, parsed.command().orElseThrow());
    assertEquals(expected, FRONTEND.parse(((AdminCommand) expected).toSql()).command().orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHOW AUDIT LIMIT 0", "SHOW HISTORY LIMIT 1.5", "SHOW AUDIT LIMIT 99999999999"})
  void aBadLimitIsNamed(String sql) {
    SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse(sql));
    assertTrue(e.getMessage().contains("LIMIT must be a positive integer"), e.getMessage());
  }

  @Test
  void killNeedsAQuotedId() {
    SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> FRONTEND.parse("KILL QUERY q1"));
    assertTrue(e.getMessage().contains("q1"), e.getMessage());
  }

  @Test
  void theNewWordsStayUsableAsNames() {
    ParsedStatement query = FRONTEND.parse(
        "SELECT audit, history, query, queries, session, sessions, kill FROM events");
    assertEquals(StatementKind.QUERY, query.kind());
    assertEquals("events", query.tables().get(0).qualifiedName());
    assertEquals(StatementKind.QUERY, FRONTEND.parse("SHOW TABLES").kind());
  }
}
