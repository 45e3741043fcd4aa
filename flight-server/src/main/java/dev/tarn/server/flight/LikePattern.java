package dev.tarn.server.flight;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Flight SQL's filter patterns: SQL LIKE with {@code %}, {@code _} and a backslash escape. */
final class LikePattern {
  private LikePattern() {}

  /** A test for names matching {@code pattern}; a null pattern matches everything. */
  static Predicate<String> matcher(String pattern) {
    if (pattern == null) {
      return name -> true;
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
    return name -> compiled.matcher(name).matches();
  }
}
