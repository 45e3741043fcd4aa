package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Classification of a broad set of DuckDB statements, from classification.sql. */
class StatementClassificationTest {
  private static final SqlFrontend FRONTEND = new TarnSqlFrontend();
  private static final Pattern EXPECTATION = Pattern.compile("-- (\\w+) (calcite|duckdb)\\s*\\n");

  static List<Arguments> statements() throws IOException {
    String script;
    try (InputStream in = StatementClassificationTest.class.getResourceAsStream("classification.sql")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Arguments> cases = new ArrayList<>();
    for (String statement : FRONTEND.splitScript(script)) {
      Matcher m = EXPECTATION.matcher(statement);
      int last = -1;
      StatementKind kind = null;
      boolean calcite = false;
      while (m.find()) {
        last = m.end();
        kind = StatementKind.valueOf(m.group(1));
        calcite = m.group(2).equals("calcite");
      }
      assertTrue(last >= 0, "no expectation before: " + statement);
      cases.add(Arguments.of(statement.substring(last).strip(), kind, calcite));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void classifies(String sql, StatementKind kind, boolean parsedByCalcite) {
    ParsedStatement parsed = FRONTEND.parse(sql);
    assertEquals(kind, parsed.kind(), sql);
    assertEquals(parsedByCalcite, parsed.parsedByCalcite(), sql);
    assertEquals(sql, parsed.sql());
    if (!parsedByCalcite) {
      assertTrue(parsed.tables().isEmpty());
    }
  }

  @Test
  void theScriptIsNotEmpty() throws IOException {
    assertTrue(statements().size() >= 75, "statements: " + statements().size());
  }
}
