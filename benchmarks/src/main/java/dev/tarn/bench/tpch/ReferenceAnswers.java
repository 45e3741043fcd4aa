package dev.tarn.bench.tpch;

import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The answers shipped in the {@code io.trino.tpch:tpch} jar ({@code io/trino/tpch/queries/qN.result}).
 * They are the answers at scale factor 0.01 (Q6's revenue there is 1193053.2253; at SF 1 it is
 * 123141078.23), so they are checked at SF 0.01 only. Their Q11 uses FRACTION 0.0001, as
 * {@code q11.sql} does.
 *
 * <p>The files print values rounded (averages to two decimals, whole sums without a fraction), so
 * a number matches when it is within {@link #NUMBER_TOLERANCE}; dates and text must be equal.
 */
final class ReferenceAnswers {
  /** The scale factor the shipped answers are for. */
  static final double SCALE_FACTOR = 0.01;
  static final BigDecimal NUMBER_TOLERANCE = new BigDecimal("0.01");

  private ReferenceAnswers() {}

  /** The rows of query {@code number}'s shipped answer, each cell as printed; null when there is none. */
  static List<List<String>> rows(int number) {
    String resource = "queries/q" + number + ".result";
    try (InputStream in = TpchTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      List<List<String>> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("--")) {
          continue;
        }
        List<String> cells = new ArrayList<>(List.of(line.split("\\|", -1)));
        if (line.endsWith("|")) {
          cells.remove(cells.size() - 1);
        }
        rows.add(cells);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Why {@code actual} differs from the shipped answer of query {@code number}, or null when it matches. */
  static String difference(int number, Answer actual) {
    List<List<String>> expected = rows(number);
    if (expected == null) {
      return "no shipped answer for Q" + number;
    }
    if (expected.size() != actual.rows().size()) {
      return actual.rows().size() + " rows, the shipped answer has " + expected.size();
    }
    for (int r = 0; r < expected.size(); r++) {
      List<String> e = expected.get(r);
      List<Object> a = actual.rows().get(r);
      if (e.size() != a.size()) {
        return String.format(Locale.ROOT, "row %d: %d columns, the shipped answer has %d", r + 1, a.size(), e.size());
      }
      for (int c = 0; c < e.size(); c++) {
        if (!matches(e.get(c), a.get(c))) {
          return String.format(Locale.ROOT, "row %d column %d: %s, the shipped answer has %s; row %s, shipped %s",
              r + 1, c + 1, a.get(c), e.get(c), a, e);
        }
      }
    }
    return null;
  }

  private static boolean matches(String printed, Object value) {
    String text = printed.strip();
    if (value == null) {
      return text.equalsIgnoreCase("null");
    }
    if (value instanceof Number n) {
      try {
        return Answer.decimal(n).subtract(new BigDecimal(text)).abs().compareTo(NUMBER_TOLERANCE) <= 0;
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (value instanceof LocalDate d) {
      return d.toString().equals(text);
    }
    return value.toString().strip().equals(text);
  }
}
