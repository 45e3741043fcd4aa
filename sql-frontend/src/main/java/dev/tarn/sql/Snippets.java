package dev.tarn.sql;

import dev.tarn.sql.command.access.AccessCommandWords;
import java.util.List;

/** Statement text as error messages, logs and audit records quote it. */
public final class Snippets {
  private Snippets() {}

  /** The text on one line (runs of whitespace become one space), cut to {@code max} characters. */
  public static String oneLine(String text, int max) {
    String oneLine = String.join(" ", text.strip().split("\\s+"));
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 3)) + "...";
  }

  /**
   * The text with the secrets it may carry hidden: in an access statement ({@code CREATE USER u
   * PASSWORD '...'}, {@code ALTER USER}, {@code CREATE TOKEN}...), every string literal becomes
   * {@code '***'}, whether or not the statement parses. Any other text is returned as it is.
   */
  public static String withoutSecrets(String sql) {
    List<SqlScanner.Token> tokens = SqlScanner.tokens(sql);
    List<SqlScanner.Token> words = tokens.stream().filter(t -> !t.isSymbol('(') && !t.isSymbol(';')).limit(2).toList();
    if (words.size() < 2 || words.get(0).kind() != SqlScanner.Kind.WORD
        || !AccessCommandWords.starts(words.get(0).upper(), words.get(1).upper())) {
      return sql;
    }
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (SqlScanner.Token token : tokens) {
      if (token.kind() == SqlScanner.Kind.STRING) {
        out.append(sql, at, token.start()).append("'***'");
        at = token.end();
      }
    }
    return out.append(sql.substring(at)).toString();
  }
}
