package dev.tarn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LeadingKeywordTest {
  private final TarnSqlFrontend frontend = new TarnSqlFrontend();

  @Test
  void firstWordAfterCommentsAndParentheses() {
    assertEquals("SELECT", frontend.parse("  -- note\n /* block */ ((select 1))").leadingKeyword());
    assertEquals("COPY", frontend.parse("/* x */ copy t TO 'f.csv'").leadingKeyword());
    assertEquals("BEGIN", frontend.parse("begin transaction").leadingKeyword());
    assertEquals("USE", frontend.parse("USE sales").leadingKeyword());
  }
}
