package dev.tarn.sql.parser.admin;

import java.util.Map;
import java.util.Set;

/** The first two words of the administration statements, by which the frontend knows them as Tarn's. */
public final class AdminStatementWords {
  private static final Map<String, Set<String>> WORDS = Map.of(
      "SHOW", Set.of("AUDIT", "HISTORY", "QUERY", "SESSIONS", "QUERIES"),
      "KILL", Set.of("QUERY", "SESSION"));

  private AdminStatementWords() {}

  /** True when a statement starting with these two (upper-cased) words is an administration statement. */
  public static boolean starts(String first, String second) {
    Set<String> seconds = WORDS.get(first);
    return seconds != null && seconds.contains(second);
  }
}
