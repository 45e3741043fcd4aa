package dev.tarn.sql.command.access;

import java.util.Map;
import java.util.Set;

/** The first two words of the access statements, so the frontend sends them to Tarn's grammar. */
public final class AccessCommandWords {
  /** First word to the second words that make an access statement (empty: any second word). */
  private static final Map<String, Set<String>> WORDS = Map.of(
      "CREATE", Set.of("USER", "ROLE", "TOKEN"),
      "DROP", Set.of("USER", "ROLE", "TOKEN"),
      "ALTER", Set.of("USER"),
      "GRANT", Set.of(),
      "REVOKE", Set.of(),
      "SHOW", Set.of("GRANTS", "TOKENS", "USERS"),
      "PROTECT", Set.of("BRANCH"),
      "UNPROTECT", Set.of("BRANCH"));

  private AccessCommandWords() {}

  /** Whether a statement starting with these (upper-case) words is an access statement. */
  public static boolean starts(String first, String second) {
    Set<String> seconds = WORDS.get(first);
    return seconds != null && (seconds.isEmpty() || seconds.contains(second));
  }
}
