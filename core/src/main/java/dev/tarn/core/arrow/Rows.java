package dev.tarn.core.arrow;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/** Fills a small result (metadata rows) into Arrow vectors of one of Flight SQL's fixed schemas. */
public final class Rows {
  private Rows() {}

  /**
   * One Object[] per row, in the schema's column order. Supported cells: String (Utf8), byte[]
   * (Binary), Integer (Int32, UInt8), Long (Int64), Boolean (Bool), Instant (timestamp with time
   * zone, microseconds), List of String (List of Utf8), null.
   */
  public static VectorSchemaRoot fill(Schema schema, List<Object[]> rows, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    refill(root, rows);
    return root;
  }

  /** Replaces the rows of {@code root} (a result sent batch by batch reuses its vectors) with {@code rows}. */
  public static void refill(VectorSchemaRoot root, List<Object[]> rows) {
    root.clear();
    root.allocateNew();
    List<FieldVector> vectors = root.getFieldVectors();
    for (int r = 0; r < rows.size(); r++) {
      Object[] row = rows.get(r);
      for (int c = 0; c < vectors.size(); c++) {
        set(vectors.get(c), r, row[c]);
      }
    }
    root.setRowCount(rows.size());
  }

  private static void set(FieldVector vector, int index, Object value) {
    if (value == null) {
      if (vector instanceof ListVector list) {
        list.setNull(index);
      } else {
        vector.setNull(index);
      }
      return;
    }
    if (vector instanceof VarCharVector v) {
      v.setSafe(index, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (vector instanceof VarBinaryVector v) {
      v.setSafe(index, (byte[]) value);
    } else if (vector instanceof IntVector v) {
      v.setSafe(index, ((Number) value).intValue());
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(index, ((Number) value).longValue());
    } else if (vector instanceof TimeStampMicroTZVector v) {
      Instant instant = (Instant) value;
      v.setSafe(index, instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
    } else if (vector instanceof UInt1Vector v) {
      v.setSafe(index, ((Number) value).intValue());
    } else if (vector instanceof BitVector v) {
      v.setSafe(index, ((Boolean) value) ? 1 : 0);
    } else if (vector instanceof ListVector v) {
      UnionListWriter writer = v.getWriter();
      writer.setPosition(index);
      writer.startList();
      for (Object item : (List<?>) value) {
        byte[] bytes = item.toString().getBytes(StandardCharsets.UTF_8);
        try (org.apache.arrow.memory.ArrowBuf buf = v.getAllocator().buffer(bytes.length)) {
          buf.setBytes(0, bytes);
          writer.varChar().writeVarChar(0, bytes.length, buf);
        }
      }
      writer.endList();
    } else {
      throw new IllegalArgumentException("unsupported metadata column type " + vector.getField());
    }
  }
}
