package dev.tarn.sql;

/** Statement text as error messages quote it. */
public final class Snippets {
  private Snippets() {}

  /** The text on one line (runs of whitespace become one space), cut to {@code max} characters. */
  public static String oneLine(String text, int max) {
    String oneLine = String.join(" ", text.strip().split("\\s+"));
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, Math.max(0, max - 3)) + "...";
  }
}
