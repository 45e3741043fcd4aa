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
    assertTrue(dev.matches("dev_"));
    assertTrue(dev.matches("dev_ana"));
    assertTrue(dev.matches("dev_ana/feature"));
    assertFalse(dev.matches("dev"));
    assertFalse(dev.matches("xdev_ana"));
    assertFalse(dev.matches("DEV_ana"), "reference names are case-sensitive");
    ReferencePattern oneChar = new ReferencePattern("v?");
    assertTrue(oneChar.matches("v1"));
    assertFalse(oneChar.matches("v10"));
  }

  @Test
  void everythingElseMatchesItselfOnly() {
    ReferencePattern dotted = new ReferencePattern("release.1+[x]");
    assertTrue(dotted.matches("release.1+[x]"));
    assertFalse(dotted.matches("releaseX1+[x]"), "a dot is not a regular-expression wildcard");
    assertTrue(new ReferencePattern("main").matches("main"));
    assertFalse(new ReferencePattern("main").matches("main2"));
    assertTrue(new ReferencePattern("é*").matches("étude"));
  }

  @Test
  void allBranchesIsTheStar() {
    assertTrue(ReferencePattern.ALL.isAll());
    assertTrue(ReferencePattern.ALL.matches("anything/at all"));
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
