package dev.tarn.jdbc;

import java.util.regex.Pattern;

/** JDBC metadata name patterns ({@code %}, {@code _}, escaped with a backslash) as regular expressions. */
final class LikePatterns {
  private static final Pattern ANY = Pattern.compile(".*", Pattern.DOTALL);

  private LikePatterns() {}

  /** Null matches every name, as JDBC says. */
  static Pattern regex(String like) {
    if (like == null) {
      return ANY;
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < like.length(); i++) {
      char c = like.charAt(i);
      if (c == '\\' && i + 1 < like.length()) {
        regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
