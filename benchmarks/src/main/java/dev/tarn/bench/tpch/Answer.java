package dev.tarn.bench.tpch;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/**
 * A query's answer, every row read out of its Arrow batches into plain values: integers as
 * {@link Long}, decimals as {@link BigDecimal}, floating point as {@link Double}, dates as
 * {@link LocalDate}, text as {@link String}. Both sides are read by the same code, so a difference
 * is a difference in the data, not in the client.
 */
final class Answer {
  /** Two doubles are equal when they differ by at most this much relative to the larger. */
  static final double DOUBLE_TOLERANCE = 1e-9;

  private final List<String> columns = new ArrayList<>();
  private final List<List<Object>> rows = new ArrayList<>();

  List<List<Object>> rows() {
    return rows;
  }

  List<String> columns() {
    return columns;
  }

  /** Appends the rows of one batch. */
  void add(VectorSchemaRoot root) {
    if (columns.isEmpty()) {
      root.getSchema().getFields().forEach(f -> columns.add(f.getName()));
    }
    List<FieldVector> vectors = root.getFieldVectors();
    for (int i = 0; i < root.getRowCount(); i++) {
      List<Object> row = new ArrayList<>(vectors.size());
      for (FieldVector v : vectors) {
        if (v instanceof DateDayVector days) {
          // DateDayVector hands out days since the epoch as an Integer.
          row.add(days.isNull(i) ? null : LocalDate.ofEpochDay(days.get(i)));
        } else {
          row.add(value(v.getObject(i)));
        }
      }
      rows.add(row);
    }
  }

  private static Object value(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof Text text) {
      return text.toString();
    } else if (v instanceof BigDecimal d) {
      return d;
    } else if (v instanceof Double || v instanceof Float) {
      return ((Number) v).doubleValue();
    } else if (v instanceof Number n) {
      return n.longValue();
    } else if (v instanceof LocalDateTime t) {
      return t.toLocalDate();
    }
    return v;
  }

  /**
   * Why {@code actual} differs from {@code expected}, or null when they are equal: the same
   * number of rows with equal values, row by row when {@code ordered}, else as multisets. Decimals,
   * integers, dates and text must be exactly equal, doubles within {@link #DOUBLE_TOLERANCE}.
   */
  static String difference(Answer expected, Answer actual, boolean ordered) {
    if (expected.rows.size() != actual.rows.size()) {
      return actual.rows.size() + " rows, expected " + expected.rows.size();
    }
    if (!expected.rows.isEmpty() && expected.rows.get(0).size() != actual.rows.get(0).size()) {
      return actual.rows.get(0).size() + " columns, expected " + expected.rows.get(0).size();
    }
    List<List<Object>> e = expected.rows;
    List<List<Object>> a = actual.rows;
    if (!ordered) {
      e = sorted(e);
      a = sorted(a);
    }
    for (int r = 0; r < e.size(); r++) {
      for (int c = 0; c < e.get(r).size(); c++) {
        if (!same(e.get(r).get(c), a.get(r).get(c))) {
          return String.format(Locale.ROOT, "row %d%s column %d (%s): %s, expected %s; row %s, expected %s", r + 1,
              ordered ? "" : " (sorted)", c + 1, c < expected.columns.size() ? expected.columns.get(c) : "?",
              describe(a.get(r).get(c)), describe(e.get(r).get(c)), a.get(r), e.get(r));
        }
      }
    }
    return null;
  }

  static boolean same(Object expected, Object actual) {
    if (expected == null || actual == null) {
      return expected == actual;
    }
    if (expected instanceof Double || actual instanceof Double) {
      if (!(expected instanceof Number x) || !(actual instanceof Number y)) {
        return false;
      }
      double p = x.doubleValue();
      double q = y.doubleValue();
      return p == q || Math.abs(p - q) <= DOUBLE_TOLERANCE * Math.max(Math.abs(p), Math.abs(q));
    }
    if (expected instanceof Number x && actual instanceof Number y) {
      return decimal(x).compareTo(decimal(y)) == 0;
    }
    return Objects.equals(expected, actual);
  }

  static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : n instanceof Long l ? BigDecimal.valueOf(l) : new BigDecimal(n.toString());
  }

  private static String describe(Object v) {
    return v == null ? "null" : v + " (" + v.getClass().getSimpleName() + ")";
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(ROWS);
    return copy;
  }

  private static final Comparator<List<Object>> ROWS = (x, y) -> {
    for (int c = 0; c < Math.min(x.size(), y.size()); c++) {
      int cmp = compare(x.get(c), y.get(c));
      if (cmp != 0) {
        return cmp;
      }
    }
    return Integer.compare(x.size(), y.size());
  };

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object x, Object y) {
    if (x == null || y == null) {
      return x == null ? (y == null ? 0 : -1) : 1;
    }
    if (x instanceof Number a && y instanceof Number b) {
      return x instanceof Double || y instanceof Double ? Double.compare(a.doubleValue(), b.doubleValue())
          : decimal(a).compareTo(decimal(b));
    }
    if (x.getClass() == y.getClass() && x instanceof Comparable c) {
      return c.compareTo(y);
    }
    return x.toString().compareTo(y.toString());
  }
}
