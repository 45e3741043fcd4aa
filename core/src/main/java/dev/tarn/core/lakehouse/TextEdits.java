package dev.tarn.core.lakehouse;

import dev.tarn.executor.EngineException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text Tarn has the engine run differs from the client's: the spans of the client's text
 * it replaced (a table's name by its view, a prefix Tarn wrote), in order. An engine error that
 * points into the text it ran is moved to the same place in the client's text, or, inside a span
 * Tarn wrote, to the start of what the client wrote there.
 *
 * @param edits non-overlapping, in text order
 */
record TextEdits(List<Edit> edits) {
  static final TextEdits NONE = new TextEdits(List.of());
  /** How a syntax error found by DuckDB's reading words its place, in the text it read. */
  private static final Pattern SYNTAX_ERROR_AT = Pattern.compile("Syntax error at line (\\d+), column (\\d+): (.*)",
      Pattern.DOTALL);

  /** The client's {@code [clientStart, clientEnd)} became the ran text's {@code [ranStart, ranEnd)}. */
  record Edit(int clientStart, int clientEnd, int ranStart, int ranEnd) {}

  TextEdits {
    edits = List.copyOf(edits);
  }

  /** The edits of {@link ReadBinder#apply}: each replacement's span of the client's text and its new text. */
  static TextEdits of(List<ReadBinder.Replacement> replacements) {
    List<Edit> edits = new ArrayList<>();
    int shift = 0;
    for (ReadBinder.Replacement r : replacements.stream().sorted(Comparator.comparingInt(ReadBinder.Replacement::start))
        .toList()) {
      int ranStart = r.start() + shift;
      edits.add(new Edit(r.start(), r.end(), ranStart, ranStart + r.text().length()));
      shift += r.text().length() - (r.end() - r.start());
    }
    return new TextEdits(edits);
  }

  /**
   * These edits, for a ran text that is {@code ranPrefix} characters of Tarn's followed by this
   * one, where the client wrote {@code clientPrefix} characters before the text these edits map to
   * ({@code EXPLAIN }, say).
   */
  TextEdits afterPrefix(int clientPrefix, int ranPrefix) {
    List<Edit> shifted = new ArrayList<>();
    shifted.add(new Edit(0, clientPrefix, 0, ranPrefix));
    for (Edit e : edits) {
      shifted.add(new Edit(e.clientStart + clientPrefix, e.clientEnd + clientPrefix, e.ranStart + ranPrefix,
          e.ranEnd + ranPrefix));
    }
    return new TextEdits(shifted);
  }

  /** The offset in the client's text of the character at {@code ranOffset} in the ran text. */
  int clientOffset(int ranOffset) {
    int shift = 0;
    for (Edit e : edits) {
      if (ranOffset < e.ranStart) {
        break;
      }
      if (ranOffset < e.ranEnd) {
        return e.clientStart;
      }
      shift = e.ranEnd - e.clientEnd;
    }
    return ranOffset - shift;
  }

  /**
   * {@code error} as the client should read it: its position moved from {@code ran} to {@code
   * client}; without one when the position is not in {@code ran}.
   */
  EngineException relocate(EngineException error, String ran, String client) {
    if (error.position().isEmpty()) {
      return edits.isEmpty() ? error : relocatedSyntaxError(error, ran, client);
    }
    if (edits.isEmpty() && error.position().get().window() == null) {
      return error;
    }
    EngineException.Position at = error.position().get();
    int ranOffset = offset(ran, at);
    if (ranOffset < 0) {
      return error.placedAt(null);
    }
    return error.placedAt(position(client, Math.min(clientOffset(ranOffset), client.length())));
  }

  /**
   * {@code error} without a place in the text: for a text Tarn composed around the client's parts
   * (a write's scratch INSERT, its rows cast to the table's types), whose lines and columns are not
   * the client's.
   */
  static EngineException unplaced(EngineException error) {
    if (error.position().isPresent()) {
      return error.placedAt(null);
    }
    Matcher m = SYNTAX_ERROR_AT.matcher(error.getMessage() == null ? "" : error.getMessage());
    return error.reason() == EngineException.Reason.SYNTAX && m.matches()
        ? new EngineException(error.reason(), "Syntax error: " + m.group(3), error.getCause()) : error;
  }

  /** A syntax error's "at line L, column C", which DuckDB's reading writes into its message, placed in the client's text. */
  private EngineException relocatedSyntaxError(EngineException error, String ran, String client) {
    Matcher m = SYNTAX_ERROR_AT.matcher(error.getMessage() == null ? "" : error.getMessage());
    if (error.reason() != EngineException.Reason.SYNTAX || !m.matches()) {
      return error;
    }
    int ranOffset = offset(ran, new EngineException.Position(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    String where = "";
    if (ranOffset >= 0) {
      EngineException.Position at = position(client, Math.min(clientOffset(ranOffset), client.length()));
      where = " at line " + at.line() + ", column " + at.column();
    }
    return new EngineException(error.reason(), "Syntax error" + where + ": " + m.group(3), error.getCause());
  }

  /**
   * The offset of a position in {@code text}, or -1 when the text has no such place or the part of
   * a long line the engine showed is not found once in it.
   */
  private static int offset(String text, EngineException.Position at) {
    int lineStart = 0;
    for (int line = 1; line < at.line(); line++) {
      int newline = text.indexOf('\n', lineStart);
      if (newline < 0) {
        return -1;
      }
      lineStart = newline + 1;
    }
    int lineEnd = text.indexOf('\n', lineStart);
    String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
    if (line.indexOf('\r') >= 0 && line.indexOf('\r') < line.length() - 1) {
      return -1; // a carriage return alone breaks the line for DuckDB
    }
    int windowStart = 0;
    int column = at.column();
    if (at.window() != null) {
      windowStart = line.indexOf(at.window());
      if (windowStart < 0 || line.indexOf(at.window(), windowStart + 1) >= 0) {
        return -1;
      }
      column += windowStart;
    }
    if (column < 1 || column > line.length() + 1) {
      return -1;
    }
    // DuckDB's caret counts display width: one for ASCII and Latin letters, other widths are not known here
    for (int i = windowStart; i < column - 1; i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c >= 0x300) {
        return -1;
      }
    }
    return lineStart + column - 1;
  }

  private static EngineException.Position position(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new EngineException.Position(line, offset - lineStart + 1);
  }
}
