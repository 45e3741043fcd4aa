package dev.tarn.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.core.TarnException;
import org.junit.jupiter.api.Test;

class ReferencePatternTest {
  @Test
  void starMatchesAnyRunAndQuestionMarkOneCharacter() {
    ReferencePattern dev = new ReferencePattern("dev_*");
    assertTrue(dev.matches("dev_", "ana"));
    assertTrue(dev.matches("dev_ana", "ana"));
    assertTrue(dev.matches("dev_ana/feature", "ana"));
    assertFalse(dev.matches("dev", "ana"));
    assertFalse(dev.matches("xdev_ana", "ana"));
    assertFalse(dev.matches("DEV_ana", "ana"), "reference names are case-sensitive");
    ReferencePattern oneChar = new ReferencePattern("v?");
    assertTrue(oneChar.matches("v1", "ana"));
    assertFalse(oneChar.matches("v10", "ana"));
  }

  @Test
  void everythingElseMatchesItselfOnly() {
    ReferencePattern dotted = new ReferencePattern("release.1+[x]");
    assertTrue(dotted.matches("release.1+[x]", "ana"));
    assertFalse(dotted.matches("releaseX1+[x]", "ana"), "a dot is not a regular-expression wildcard");
    assertTrue(new ReferencePattern("main").matches("main", "ana"));
    assertFalse(new ReferencePattern("main").matches("main2", "ana"));
    assertTrue(new ReferencePattern("é*").matches("étude", "ana"));
  }

  @Test
  void userStandsForTheNameOfWhoeverAsks() {
    ReferencePattern own = new ReferencePattern("agent/{user}/*");
    assertTrue(own.matches("agent/bot/fix", "bot"));
    assertFalse(own.matches("agent/bot/fix", "other"), "another user's names are not theirs");
    assertFalse(own.matches("agent/bot", "bot"));
    assertEquals("agent/bot/*", own.forUser("bot"));
    // a user's name is a literal: a star or question mark in it widens nothing
    assertFalse(own.matches("agent/anything/x", "*"));
    assertTrue(own.matches("agent/*/x", "*"));
    assertFalse(new ReferencePattern("{user}").matches("bo", "b?"));
    assertTrue(new ReferencePattern("{user}_{user}").matches("a_a", "a"));
  }

  @Test
  void allBranchesIsTheStar() {
    assertTrue(ReferencePattern.ALL.isAll());
    assertTrue(ReferencePattern.ALL.matches("anything/at all", "ana"));
    assertEquals("ALL BRANCHES", ReferencePattern.ALL.describe());
    assertEquals("BRANCH 'dev_*'", new ReferencePattern("dev_*").describe());
  }

  @Test
  void emptyHugeOrInvisiblePatternsAreRefusedWithTheReason() {
    assertTrue(assertThrows(TarnException.class, () -> new ReferencePattern("")).getMessage().contains("empty"));
    assertTrue(assertThrows(TarnException.class, () -> new ReferencePattern("x".repeat(300))).getMessage()
        .contains("limit is 256"));
    assertTrue(assertThrows(TarnException.class, () -> new ReferencePattern("dev\u200b*")).getMessage()
        .contains("invisible"));
  }
}
