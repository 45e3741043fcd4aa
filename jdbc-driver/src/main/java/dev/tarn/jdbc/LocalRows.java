package dev.tarn.jdbc;

import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Rows the driver builds itself, in the exact columns a JDBC metadata method promises, read back
 * through the same {@link TarnResultSet} as the server's rows.
 */
final class LocalRows {
  /** The column types metadata results use. */
  enum Kind {
    TEXT(ArrowType.Utf8.INSTANCE), INT(new ArrowType.Int(32, true)), SHORT(new ArrowType.Int(16, true)),
    LONG(new ArrowType.Int(64, true)), BOOL(ArrowType.Bool.INSTANCE);

    private final ArrowType arrow;

    Kind(ArrowType arrow) {
      this.arrow = arrow;
    }
  }

  private final BufferAllocator allocator;
  private final List<Field> fields = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();

  LocalRows(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  LocalRows column(String name, Kind kind) {
    fields.add(new Field(name, FieldType.nullable(kind.arrow), null));
    return this;
  }

  LocalRows row(Object... values) {
    if (values.length != fields.size()) {
      throw new IllegalArgumentException("a row of " + values.length + " values for " + fields.size() + " columns");
    }
    rows.add(values);
    return this;
  }

  TarnResultSet result(Statement statement) {
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    try {
      root.allocateNew();
      for (int c = 0; c < fields.size(); c++) {
        FieldVector vector = root.getVector(c);
        for (int r = 0; r < rows.size(); r++) {
          set(vector, r, rows.get(r)[c]);
        }
        vector.setValueCount(rows.size());
      }
      root.setRowCount(rows.size());
      return new TarnResultSet(statement, Batches.of(root));
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void set(FieldVector vector, int row, Object value) {
    if (value == null) {
      vector.setNull(row);
    } else if (vector instanceof VarCharVector v) {
      v.setSafe(row, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (vector instanceof IntVector v) {
      v.setSafe(row, ((Number) value).intValue());
    } else if (vector instanceof SmallIntVector v) {
      v.setSafe(row, ((Number) value).shortValue());
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(row, ((Number) value).longValue());
    } else if (vector instanceof BitVector v) {
      v.setSafe(row, ((Boolean) value) ? 1 : 0);
    } else {
      throw new IllegalStateException("no writer for " + vector.getField());
    }
  }
}
