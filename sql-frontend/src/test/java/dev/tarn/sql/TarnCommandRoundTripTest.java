package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tarn.sql.parser.ddl.TarnCommandNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unparse, then parse again: the same command. Covers every statement in tarn-commands.sql; the
 * unparsed text quotes every name, so case and special characters must survive.
 */
class TarnCommandRoundTripTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();

  static List<String> statements() throws IOException {
    try (InputStream in = TarnCommandRoundTripTest.class.getResourceAsStream("tarn-commands.sql")) {
      return FRONTEND.splitScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void unparseThenParseGivesTheSameCommand(String sql) throws SqlParseException {
    SqlNode node = SqlParser.create(sql, TarnSqlFrontend.parserConfig()).parseStmt();
    TarnCommandNode command = assertInstanceOf(TarnCommandNode.class, node);
    String unparsed = node.toSqlString(PostgresqlSqlDialect.DEFAULT).getSql();

    ParsedStatement again = FRONTEND.parse(unparsed);

    assertEquals(StatementKind.TARN_COMMAND, again.kind(), unparsed);
    assertEquals(command.toCommand(), again.command().orElseThrow(), unparsed);
    assertEquals(FRONTEND.parse(sql).command(), again.command(), unparsed);
  }
}
