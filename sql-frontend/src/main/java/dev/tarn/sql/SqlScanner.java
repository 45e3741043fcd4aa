package dev.tarn.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small lexer for DuckDB's SQL text, enough to split scripts and to read a statement's leading
 * keywords: it knows single-quoted strings ({@code ''} escapes, {@code E'...'} with backslash
 * escapes), double-quoted identifiers, dollar-quoted strings ({@code $$...$$}, {@code $tag$...$tag$}),
 * {@code --} and (nested) {@code /* *}{@code /} comments. Unterminated quotes and comments run to the
 * end of the text. Comments and whitespace produce no tokens.
 */
final class SqlScanner {
  /**
   * Digits, a point and an exponent: the numbers Calcite and DuckDB read alike (the token of
   * {@code 1e-5} is {@code 1e}, its sign a symbol).
   */
  private static final java.util.regex.Pattern PLAIN_NUMBER =
      java.util.regex.Pattern.compile("[0-9]+(\\.[0-9]*)?([eE][0-9]*)?");

  private SqlScanner() {}

  enum Kind { WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL }

  /** One token; {@code end} is exclusive. */
  record Token(Kind kind, String text, int start, int end) {
    boolean isWord(String upperCaseWord) {
      return kind == Kind.WORD && text.equalsIgnoreCase(upperCaseWord);
    }

    boolean isSymbol(char c) {
      return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    String upper() {
      return text.toUpperCase(java.util.Locale.ROOT);
    }
  }

  /** All tokens of {@code sql}. */
  static List<Token> tokens(String sql) {
    return tokens(sql, Integer.MAX_VALUE);
  }

  /** The first {@code limit} tokens of {@code sql}. */
  static List<Token> tokens(String sql, int limit) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n && tokens.size() < limit) {
      char c = sql.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i = lineEnd(sql, i);
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = skipBlockComment(sql, i);
      } else if (c == '\'') {
        int end = skipQuoted(sql, i, '\'', false);
        tokens.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
        i = end;
      } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
        int end = skipQuoted(sql, i + 1, '\'', true);
        tokens.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
        i = end;
      } else if (c == '"') {
        int end = skipQuoted(sql, i, '"', false);
        tokens.add(new Token(Kind.QUOTED_IDENTIFIER, sql.substring(i, end), i, end));
        i = end;
      } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
        int tagEnd = dollarTagEnd(sql, i);
        String tag = sql.substring(i, tagEnd);
        int close = sql.indexOf(tag, tagEnd);
        int end = close < 0 ? n : close + tag.length();
        tokens.add(new Token(Kind.STRING, sql.substring(i, end), i, end));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i + 1;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
            || sql.charAt(end) == '$')) {
          end++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(i, end), i, end));
        i = end;
      } else if (Character.isDigit(c)) {
        int end = i + 1;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.'
            || sql.charAt(end) == '_')) {
          end++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(i, end), i, end));
        i = end;
      } else {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i, i + 1));
        i++;
      }
    }
    return tokens;
  }

  /**
   * The text Calcite should parse so that it reads the tokens DuckDB reads, at the same places:
   * comments and white space become spaces (line breaks kept), so that Calcite's own idea of a
   * comment never applies; and DuckDB's integer division {@code //}, a line comment to Calcite,
   * becomes a division. Calcite then reads the same names, literals and conditions as DuckDB, and
   * its positions are the client's. Empty when the two lexers would still part:
   * <ul>
   *   <li>dollar-quoted strings ({@code $$...$$}, {@code $tag$...$tag$}), which Calcite reads as names;
   *   <li>a carriage return without a line feed, a line break to Calcite's positions and not to Tarn's;
   *   <li>white space other than ASCII's anywhere: DuckDB reads some of it (U+200C, U+2029) as part of a
   *       name, and turns some (U+00A0) into spaces before it lexes, inside strings too after a quote in
   *       a block comment or an escaped one;
   *   <li>a number with letters or underscores other than an exponent ({@code 0x10}, {@code 0b11},
   *       {@code 1_000}): one number to DuckDB, a number and a name to Calcite.
   * </ul>
   */
  static Optional<String> forCalcite(String sql, List<Token> tokens) {
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      boolean loneReturn = c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n');
      if (loneReturn || isSpace(c) && !isAsciiSpace(c)) {
        return Optional.empty();
      }
    }
    char[] text = new char[sql.length()];
    for (int i = 0; i < text.length; i++) {
      text[i] = blank(sql.charAt(i));
    }
    Token previous = null;
    for (Token token : tokens) {
      boolean dollarQuoted = token.kind() == Kind.STRING && token.text().startsWith("$");
      boolean spelledNumber = token.kind() == Kind.NUMBER && !PLAIN_NUMBER.matcher(token.text()).matches();
      if (dollarQuoted || spelledNumber) {
        return Optional.empty();
      }
      boolean secondSlash = token.isSymbol('/') && previous != null && previous.isSymbol('/')
          && previous.end() == token.start();
      if (!secondSlash) {
        token.text().getChars(0, token.text().length(), text, token.start());
      }
      previous = secondSlash ? null : token; // a third slash is not a division again: Calcite refuses "/ /"
    }
    return Optional.of(new String(text));
  }

  /**
   * Splits a script on top-level semicolons; returns the statements trimmed, without their
   * semicolons, dropping pieces that hold nothing but whitespace and comments.
   */
  static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    int pieceStart = 0;
    boolean pieceHasTokens = false;
    for (Token token : tokens(script)) {
      if (token.isSymbol(';')) {
        if (pieceHasTokens) {
          statements.add(script.substring(pieceStart, token.start()).strip());
        }
        pieceStart = token.end();
        pieceHasTokens = false;
      } else {
        pieceHasTokens = true;
      }
    }
    if (pieceHasTokens) {
      statements.add(script.substring(pieceStart).strip());
    }
    return statements;
  }

  /**
   * The statement's first word, upper-cased, after comments and opening parentheses ("SELECT",
   * "COPY", "BEGIN"...); empty when it starts with something else.
   */
  static String leadingKeyword(String sql) {
    for (Token token : tokens(sql, 64)) {
      if (!token.isSymbol('(')) {
        return token.kind() == Kind.WORD ? token.upper() : "";
      }
    }
    return "";
  }

  /**
   * White space as DuckDB reads it: besides ASCII white space, the Unicode spaces, the byte-order mark
   * and zero-width spaces, which DuckDB's parser skips.
   */
  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF' || c == '\u200B'
        || c == '\u200C' || c == '\u200D' || c == '\u2060';
  }

  /** {@code sql} with its first {@code end} characters blanked, line breaks kept. */
  static String blankedBefore(String sql, int end) {
    StringBuilder text = new StringBuilder(sql);
    for (int i = 0; i < end; i++) {
      text.setCharAt(i, blank(sql.charAt(i)));
    }
    return text.toString();
  }

  /** A blank in place of {@code c}, or {@code c} itself for a line break: lines and columns stay where they were. */
  private static char blank(char c) {
    return c == '\n' || c == '\r' ? c : ' ';
  }

  /** The white space of DuckDB's lexer (and Calcite's, which does not know a vertical tab but never sees one here). */
  private static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
  }

  /** The index after a {@code --} comment: DuckDB ends it at a line feed or a carriage return. */
  private static int lineEnd(String sql, int start) {
    for (int i = start; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\n' || c == '\r') {
        return i + 1;
      }
    }
    return sql.length();
  }

  private static int skipBlockComment(String sql, int start) {
    int depth = 0;
    int i = start;
    int n = sql.length();
    while (i < n) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /** The index after the quoted text opening at {@code start}; a doubled quote is an escaped quote. */
  private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  /** The index after a dollar-quote opening tag at {@code start} ({@code $$}, {@code $tag$}), or -1. */
  private static int dollarTagEnd(String sql, int start) {
    int i = start + 1;
    int n = sql.length();
    if (i < n && Character.isDigit(sql.charAt(i))) {
      return -1; // $1: a parameter
    }
    while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    return i < n && sql.charAt(i) == '$' ? i + 1 : -1;
  }
}
