package dev.tarn.bench.report;

import dev.tarn.bench.Goal;
import dev.tarn.bench.Report;
import dev.tarn.bench.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A chart of a run's results as a hand-written SVG file: one horizontal bar per result, drawn
 * against its goal.
 *
 * <p>Every row has its own scale, so results in different units sit in one picture: the goal's
 * target is always at the same x (the dashed line), the bar is the figure the goal is checked on
 * (the ratio, or Tarn's own figure for an absolute budget such as {@code < 10 ms}) relative to that
 * target, and bars past twice the target are cut off with an arrow. Green met the goal, red did not.
 * A ratio without a goal is drawn against 1x (parity) in grey; a figure with neither a goal nor a
 * ratio is a grey bar of fixed length that only carries its value.
 */
public final class SvgChart {
  static final int ROW_HEIGHT = 22;
  static final int BAR_HEIGHT = 14;
  static final int BAR_AREA = 360;
  /** The x offset, inside the bar area, of the goal (or parity) line: bars go to twice the target. */
  static final int TARGET_X = BAR_AREA / 2;
  static final int CHAR_WIDTH = 7;
  static final int TOP = 48;
  static final String MET = "#2e9e4f";
  static final String MISSED = "#d1453b";
  static final String NEUTRAL = "#9aa3ad";

  private SvgChart() {}

  /**
   * Writes the chart to {@code file}.
   *
   * @param title the first line, e.g. which benchmarks ran and when
   */
  public static Path write(Path file, String title, List<Result> results) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(title, results), StandardCharsets.UTF_8);
    return file;
  }

  /** The SVG document as text. */
  public static String render(String title, List<Result> results) {
    int nameWidth = CHAR_WIDTH * Math.max(12, results.stream().mapToInt(r -> r.name().length()).max().orElse(0)) + 16;
    int labelWidth = CHAR_WIDTH * Math.max(20, results.stream().mapToInt(r -> label(r).length()).max().orElse(0)) + 16;
    int barX = nameWidth;
    int width = nameWidth + BAR_AREA + labelWidth;
    int height = TOP + ROW_HEIGHT * results.size() + 28;

    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"12\">%n", width, height, width, height));
    svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
        width, height));
    svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
        escape(title)));
    svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"36\" fill=\"#555\">bar = figure / goal (dashed line),"
        + " cut at 2x; green met, red missed, grey no goal (ratio vs 1x, or value only)</text>%n"));
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      int y = TOP + i * ROW_HEIGHT;
      int barY = y + (ROW_HEIGHT - BAR_HEIGHT) / 2;
      int textY = y + ROW_HEIGHT / 2 + 4;
      Bar bar = bar(r);
      svg.append(String.format(Locale.ROOT, "<g class=\"result\"><title>%s</title>%n", escape(r.name() + ": "
          + label(r))));
      svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\">%s</text>%n", textY, escape(r.name())));
      int length = (int) Math.round(Math.min(bar.relative, 2.0) * TARGET_X);
      svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
          + " fill=\"%s\"/>%n", barX, barY, Math.max(length, 1), BAR_HEIGHT, bar.colour));
      if (bar.relative > 2.0) {
        int tip = barX + length;
        svg.append(String.format(Locale.ROOT, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>%n", tip, barY - 2,
            tip + 8, barY + BAR_HEIGHT / 2, tip, barY + BAR_HEIGHT + 2, bar.colour));
      }
      if (bar.line) {
        int x = barX + TARGET_X;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\""
            + " stroke-dasharray=\"3,2\"/>%n", x, y + 1, x, y + ROW_HEIGHT - 1));
      }
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", barX + BAR_AREA + 14, textY,
          escape(label(r))));
      svg.append("</g>\n");
    }
    int axisY = TOP + ROW_HEIGHT * results.size() + 16;
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">goal</text>%n",
        barX + TARGET_X, axisY));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">2x goal</text>%n",
        barX + BAR_AREA, axisY));
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** How long a result's bar is (1.0 = at the line), its colour, and whether it has a line. */
  record Bar(double relative, String colour, boolean line) {}

  static Bar bar(Result r) {
    Goal goal = r.goal();
    Boolean met = r.goalMet();
    if (goal.kind() != Goal.Kind.NONE) {
      double value = goal.onTarnFigure() ? r.tarn() : r.ratio();
      return new Bar(relative(value, goal.target()), met == null ? NEUTRAL : met ? MET : MISSED, true);
    }
    if (!Double.isNaN(r.ratio())) {
      return new Bar(relative(r.ratio(), 1.0), NEUTRAL, true);
    }
    return new Bar(Double.isNaN(r.tarn()) ? 0 : 1.0, NEUTRAL, false);
  }

  private static double relative(double value, double target) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return 0;
    }
    if (target == 0) {
      // e.g. "< 1 errors" is target 1; a zero target has no scale: show it at the line when reached
      return value <= 0 ? 0 : 2.5;
    }
    return Math.max(0, value / target);
  }

  /** The text right of the bar: the figure, the goal and whether it was met. */
  static String label(Result r) {
    String figure = Double.isNaN(r.ratio())
        ? Report.quantity(r.tarn(), r.unit())
        : String.format(Locale.ROOT, "%.2fx", r.ratio());
    Boolean met = r.goalMet();
    if (r.goal().kind() == Goal.Kind.NONE) {
      return figure;
    }
    return figure + "  goal " + r.goal().label() + (met == null ? "" : met ? "  met" : "  NOT met");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
