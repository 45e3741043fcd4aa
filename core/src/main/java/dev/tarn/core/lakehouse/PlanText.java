package dev.tarn.core.lakehouse;

import dev.tarn.executor.RowStream;
import dev.tarn.core.arrow.Rows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * EXPLAIN's output as a client sees it. DuckDB names the files a scan read by their full paths
 * ({@code EXPLAIN ANALYZE}'s {@code Filename(s)}): that is where the server keeps its data, which is
 * no client's business. Every path under a storage root is shown relative to it ({@code
 * sales/orders_1f0c.../data/00000-0-....parquet}: schema, table folder, file), and the plan's box
 * borders stay aligned; operators, row counts and timings are untouched.
 */
final class PlanText {
  private static final char BOX_BORDER = '│';

  /** Storage roots, each ending in '/', longest first so a nested root wins over its parent. */
  private final List<String> roots;

  /** @param roots the local folders data files live under (the warehouse, the catalog's table folder) */
  PlanText(List<String> roots) {
    this.roots = roots.stream().filter(Objects::nonNull).map(PlanText::withSlash).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).collect(Collectors.toUnmodifiableList());
  }

  private static String withSlash(String root) {
    String path = root.startsWith("file://") ? root.substring("file://".length())
        : root.startsWith("file:") ? root.substring("file:".length()) : root;
    return path.endsWith("/") ? path : path + "/";
  }

  /** The text with every storage root cut from the paths it holds, line by line. */
  String neutral(String text) {
    if (text == null || roots.stream().noneMatch(text::contains)) {
      return text;
    }
    return text.lines().map(this::neutralLine).collect(Collectors.joining("\n", "", text.endsWith("\n") ? "\n" : ""));
  }

  private String neutralLine(String line) {
    String out = line;
    for (String root : roots) {
      out = out.replace(root, "");
    }
    int removed = line.length() - out.length();
    int border = out.lastIndexOf(BOX_BORDER);
    if (removed > 0 && border > 0 && border == out.length() - 1) {
      // keep the box's right border where the other lines have it
      out = out.substring(0, border) + " ".repeat(removed) + BOX_BORDER;
    }
    return out;
  }

  /**
   * The plan's rows (a few short texts) with paths made neutral, as a new stream; {@code plan} is
   * read to its end and closed.
   */
  RowStream neutral(RowStream plan, BufferAllocator allocator) {
    try (plan) {
      Schema text = new Schema(plan.schema().getFields().stream()
          .map(f -> new Field(f.getName(), FieldType.nullable(ArrowType.Utf8.INSTANCE), null)).toList());
      List<Object[]> rows = new ArrayList<>();
      while (plan.next()) {
        List<FieldVector> vectors = plan.root().getFieldVectors();
        for (int r = 0; r < plan.root().getRowCount(); r++) {
          Object[] row = new Object[vectors.size()];
          for (int c = 0; c < vectors.size(); c++) {
            Object value = vectors.get(c).getObject(r);
            row[c] = value == null ? null : neutral(value.toString());
          }
          rows.add(row);
        }
      }
      return new CommandRows(new CommandResult(text, rows), allocator);
    }
  }
}
