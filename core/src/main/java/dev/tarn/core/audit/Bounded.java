package dev.tarn.core.audit;

/**
 * Keeps texts in audit records short: a client may send a statement of up to {@code
 * --max-statement-bytes}, and a record per statement of that size would let one client fill the
 * disk. The cut never splits a character, and says how much was left out.
 */
public final class Bounded {
  /** The most characters of a statement's text a record keeps. */
  public static final int STATEMENT_CHARS = 4096;
  /** The most characters of an error message a record keeps. */
  public static final int MESSAGE_CHARS = 2048;

  private Bounded() {}

  public static String statement(String text) {
    return cut(text, STATEMENT_CHARS);
  }

  public static String message(String text) {
    return cut(text, MESSAGE_CHARS);
  }

  /** The text, or its first {@code max} characters (whole code points) and a note of how many more there were. */
  static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max;
    if (Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--; // keep the pair whole: leave it out
    }
    return text.substring(0, end) + " ... (" + (text.length() - end) + " more characters)";
  }
}
