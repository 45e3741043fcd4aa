package dev.tarn.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Prints Arrow batches as an aligned table, CSV or JSON lines. */
abstract class ResultPrinter {
  protected final PrintStream out;
  protected List<String> columns = List.of();

  ResultPrinter(PrintStream out) {
    this.out = out;
  }

  static ResultPrinter of(OutputFormat format, PrintStream out) {
    return switch (format) {
      case table -> new Table(out);
      case csv -> new Csv(out);
      case json -> new Json(out);
    };
  }

  void start(Schema schema) {
    columns = schema.getFields().stream().map(Field::getName).toList();
  }

  abstract void batch(VectorSchemaRoot root);

  abstract void finish();

  static String text(FieldVector vector, int row) {
    Object value = vector.getObject(row);
    if (value == null) {
      return null;
    }
    if (vector instanceof TimeStampVector
        && vector.getField().getType() instanceof ArrowType.Timestamp type && type.getTimezone() != null) {
      // Arrow hands zoned timestamps back as raw numbers; show them as instants.
      long raw = ((Number) value).longValue();
      Instant instant = switch (type.getUnit()) {
        case SECOND -> Instant.ofEpochSecond(raw);
        case MILLISECOND -> Instant.ofEpochMilli(raw);
        case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000L), Math.floorMod(raw, 1_000_000L) * 1000);
        case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(raw, 1_000_000_000L), Math.floorMod(raw, 1_000_000_000L));
      };
      return instant.toString();
    }
    return value.toString();
  }

  /** Buffers rows to align columns; CI results are small, large ones belong in csv or json. */
  static final class Table extends ResultPrinter {
    private final List<String[]> rows = new ArrayList<>();

    Table(PrintStream out) {
      super(out);
    }

    @Override
    void batch(VectorSchemaRoot root) {
      for (int r = 0; r < root.getRowCount(); r++) {
        String[] row = new String[columns.size()];
        for (int c = 0; c < row.length; c++) {
          String value = text(root.getVector(c), r);
          row[c] = value == null ? "NULL" : value;
        }
        rows.add(row);
      }
    }

    @Override
    void finish() {
      if (columns.isEmpty()) {
        out.println("OK");
        return;
      }
      int[] widths = new int[columns.size()];
      for (int c = 0; c < widths.length; c++) {
        widths[c] = columns.get(c).length();
        for (String[] row : rows) {
          widths[c] = Math.max(widths[c], row[c].length());
        }
      }
      out.println(line(columns.toArray(new String[0]), widths));
      StringBuilder rule = new StringBuilder();
      for (int c = 0; c < widths.length; c++) {
        rule.append(c == 0 ? "" : "-+-").append("-".repeat(widths[c]));
      }
      out.println(rule);
      rows.forEach(row -> out.println(line(row, widths)));
      out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
    }

    private static String line(String[] cells, int[] widths) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cells.length; c++) {
        line.append(c == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, widths[c]) + "s", cells[c]));
      }
      return line.toString().stripTrailing();
    }
  }

  static final class Csv extends ResultPrinter {
    Csv(PrintStream out) {
      super(out);
    }

    @Override
    void start(Schema schema) {
      super.start(schema);
      if (!columns.isEmpty()) {
        out.println(String.join(",", columns.stream().map(Csv::quote).toList()));
      }
    }

    @Override
    void batch(VectorSchemaRoot root) {
      for (int r = 0; r < root.getRowCount(); r++) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
          String value = text(root.getVector(c), r);
          cells.add(value == null ? "" : quote(value));
        }
        out.println(String.join(",", cells));
      }
    }

    @Override
    void finish() {}

    private static String quote(String value) {
      return value.matches(".*[\",\\n\\r].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
  }

  /**
   * One JSON object per row, written by Jackson: numbers as JSON numbers (NaN and the infinities,
   * which JSON has no number for, as the strings "NaN", "Infinity", "-Infinity"), timestamps and
   * everything else as strings, nulls as null.
   */
  static final class Json extends ResultPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();

    Json(PrintStream out) {
      super(out);
    }

    @Override
    void batch(VectorSchemaRoot root) {
      for (int r = 0; r < root.getRowCount(); r++) {
        ObjectNode row = JSON.createObjectNode();
        for (int c = 0; c < columns.size(); c++) {
          FieldVector vector = root.getVector(c);
          Object value = vector.getObject(r);
          String name = columns.get(c);
          if (value == null) {
            row.putNull(name);
          } else if (value instanceof Boolean b) {
            row.put(name, b);
          } else if (value instanceof Number n && !(vector instanceof TimeStampVector)) {
            putNumber(row, name, n);
          } else {
            row.put(name, text(vector, r));
          }
        }
        try {
          out.println(JSON.writeValueAsString(row));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("a result row could not be written as JSON: " + e.getOriginalMessage(), e);
        }
      }
    }

    private static void putNumber(ObjectNode row, String name, Number n) {
      if (n instanceof Double || n instanceof Float) {
        row.put(name, n.doubleValue()); // Jackson writes NaN and the infinities as strings
      } else if (n instanceof BigDecimal d) {
        row.put(name, d);
      } else if (n instanceof BigInteger i) {
        row.put(name, i);
      } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
        row.put(name, n.longValue());
      } else {
        row.put(name, n.toString());
      }
    }

    @Override
    void finish() {}
  }
}
