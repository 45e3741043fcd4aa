package dev.tarn.mcp;

import java.util.ArrayList;
import java.util.List;

/**
 * A compact plain-text table an agent (or a person) reads at a glance: a header, a rule, one line per
 * row, columns padded to their widest cell (cells cut at {@value #MAX_CELL_CHARS} characters, line
 * breaks shown as spaces).
 */
final class TextTable {
  static final int MAX_CELL_CHARS = 200;
  private static final String NULL = "NULL";

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();
  private long chars;

  TextTable(List<String> header) {
    this.header = header.stream().map(TextTable::cell).toList();
    this.chars = this.header.stream().mapToLong(h -> h.length() + 2).sum();
  }

  static String cell(Object value) {
    if (value == null) {
      return NULL;
    }
    String text = value.toString().replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    return text.length() > MAX_CELL_CHARS ? text.substring(0, MAX_CELL_CHARS - 1) + "…" : text;
  }

  void add(List<?> row) {
    List<String> cells = row.stream().map(TextTable::cell).toList();
    rows.add(cells);
    chars += cells.stream().mapToLong(c -> c.length() + 2).sum() + 1;
  }

  int rowCount() {
    return rows.size();
  }

  /** Roughly the characters the table will take: the byte cap is checked against this. */
  long approximateChars() {
    return chars;
  }

  String render() {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, widths);
    List<String> rule = new ArrayList<>();
    for (int width : widths) {
      rule.add("-".repeat(width));
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append("  ");
      }
      String cell = cells.get(i);
      out.append(cell);
      if (i < cells.size() - 1) {
        out.append(" ".repeat(widths[i] - cell.length()));
      }
    }
    out.append('\n');
  }
}
