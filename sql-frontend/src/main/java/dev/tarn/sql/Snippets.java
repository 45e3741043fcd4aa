package dev.tarn.sql;

import dev.tarn.sql.command.access.AccessCommandWords;
import java.util.ArrayList;
import java.util.List;

/** Statement text as error messages, logs and audit records quote it. */
public final class Snippets {
  private Snippets() {}

  /** The text on one line (runs of whitespace become one space), cut to {@code max} characters. */
  public static String oneLine(String text, int max) {
    String oneLine = String.join(" ", text.strip().split("\\s+"));
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 3)) + "...";
  }

  /** Tokens read to find a statement's first two words (past any opening parentheses). */
  private static final int HEAD_TOKENS = 16;

  /**
   * The text with the secrets it may carry hidden: in an access statement ({@code CREATE USER u
   * PASSWORD '...'}, {@code ALTER USER}, {@code CREATE TOKEN}...), every string literal becomes
   * {@code '***'}, and so does the token after {@code PASSWORD} whatever it is (a password written
   * by mistake in double quotes or unquoted), whether or not the statement parses. Any other text is
   * returned as it is.
   */
  public static String withoutSecrets(String sql) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (SqlScanner.Token secret : secrets(sql)) {
      out.append(sql, at, secret.start()).append("'***'");
      at = secret.end();
    }
    return at == 0 ? sql : out.append(sql.substring(at)).toString();
  }

  /**
   * A message about {@code sql} (a parser's error quotes the token it stopped at) with the secrets of
   * {@code sql}, as {@link #withoutSecrets(String)} finds them, hidden wherever it quotes them.
   */
  public static String withoutSecrets(String sql, String message) {
    String hidden = message;
    for (SqlScanner.Token secret : secrets(sql)) {
      String content = content(secret.text());
      if (!content.isEmpty()) {
        hidden = hidden.replace(content, "***");
      }
    }
    return hidden;
  }

  /** The tokens of an access statement that may hold a secret; none for any other text. */
  private static List<SqlScanner.Token> secrets(String sql) {
    // every statement is audited: read its first words only, and all of it only for an access statement
    List<SqlScanner.Token> tokens = SqlScanner.tokens(sql, HEAD_TOKENS);
    boolean whole = tokens.size() < HEAD_TOKENS; // a short text was read to its end already
    List<SqlScanner.Token> words = firstTwoWords(tokens);
    if (words.size() < 2 && !whole) {
      tokens = SqlScanner.tokens(sql);
      whole = true;
      words = firstTwoWords(tokens);
    }
    if (words.size() < 2 || words.get(0).kind() != SqlScanner.Kind.WORD
        || !AccessCommandWords.starts(words.get(0).upper(), words.get(1).upper())) {
      return List.of();
    }
    if (!whole) {
      tokens = SqlScanner.tokens(sql);
    }
    List<SqlScanner.Token> secrets = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      SqlScanner.Token token = tokens.get(i);
      boolean afterPassword = i > 0 && tokens.get(i - 1).isWord("PASSWORD");
      if (token.kind() == SqlScanner.Kind.STRING || afterPassword) {
        secrets.add(token);
      }
    }
    return secrets;
  }

  private static List<SqlScanner.Token> firstTwoWords(List<SqlScanner.Token> tokens) {
    return tokens.stream().filter(t -> !t.isSymbol('(') && !t.isSymbol(';')).limit(2).toList();
  }

  /** A token's text without its quotes: {@code 'x'}, {@code E'x'}, {@code "x"}, {@code $tag$x$tag$}. */
  private static String content(String token) {
    String text = token;
    if (text.startsWith("$")) {
      int tagEnd = text.indexOf('$', 1) + 1;
      String tag = text.substring(0, tagEnd);
      text = text.substring(tagEnd);
      return text.endsWith(tag) ? text.substring(0, text.length() - tag.length()) : text;
    }
    if ((text.startsWith("E'") || text.startsWith("e'"))) {
      text = text.substring(1);
    }
    if (text.length() >= 2 && (text.charAt(0) == '\'' || text.charAt(0) == '"')
        && text.charAt(text.length() - 1) == text.charAt(0)) {
      return text.substring(1, text.length() - 1);
    }
    return text.startsWith("'") || text.startsWith("\"") ? text.substring(1) : text;
  }
}
