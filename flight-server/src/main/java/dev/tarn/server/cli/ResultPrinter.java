package dev.tarn.server.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
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

  /** The cell as text for table and CSV output (null for SQL NULL). */
  static String text(FieldVector vector, int row) {
    return CellValues.text(CellValues.of(vector, row));
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

  /**
   * RFC 4180 CSV written by Apache Commons CSV: a header line, then one record per row, values
   * quoted only when they need it, NULL as an empty field, lines ended by {@code \n}.
   */
  static final class Csv extends ResultPrinter {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();
    private CSVPrinter csv;

    Csv(PrintStream out) {
      super(out);
    }

    @Override
    void start(Schema schema) {
      super.start(schema);
      try {
        csv = new CSVPrinter(out, FORMAT);
        if (!columns.isEmpty()) {
          csv.printRecord(columns);
        }
      } catch (IOException e) { // a PrintStream never throws; it records errors instead
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void batch(VectorSchemaRoot root) {
      try {
        for (int r = 0; r < root.getRowCount(); r++) {
          for (int c = 0; c < columns.size(); c++) {
            csv.print(text(root.getVector(c), r));
          }
          csv.println();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void finish() {
      out.flush();
    }
  }

  /**
   * JSON lines written by Jackson: one object per row, {@code {"id": 1, "name": "one"}}, columns in
   * order (a name that repeats is written twice, as the result has it). Numbers are JSON numbers,
   * except NaN, Infinity and -Infinity, which are the strings {@code "NaN"}, {@code "Infinity"} and
   * {@code "-Infinity"}, so every line is valid JSON. Lists and maps are arrays, structs are
   * objects; other values (dates, times, timestamps, intervals, binaries) are strings as in
   * {@link CellValues}.
   */
  static final class Json extends ResultPrinter {
    Json(PrintStream out) {
      super(out);
    }

    @Override
    void batch(VectorSchemaRoot root) {
      for (int r = 0; r < root.getRowCount(); r++) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = CellValues.JSON.createGenerator(line)) {
          json.setPrettyPrinter(new OneLine());
          json.writeStartObject();
          for (int c = 0; c < columns.size(); c++) {
            json.writeFieldName(columns.get(c));
            json.writeObject(CellValues.of(root.getVector(c), r));
          }
          json.writeEndObject();
        } catch (IOException e) { // writing to a StringWriter does not fail
          throw new UncheckedIOException(e);
        }
        out.println(line);
      }
    }

    @Override
    void finish() {}

    /** Everything on one line, a space after each colon and comma, as people read it. */
    private static final class OneLine extends MinimalPrettyPrinter {
      private static final long serialVersionUID = 1L;

      @Override
      public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
      }

      @Override
      public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(", ");
      }

      @Override
      public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(", ");
      }
    }
  }
}
