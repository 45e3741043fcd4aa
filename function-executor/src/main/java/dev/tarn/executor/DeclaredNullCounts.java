package dev.tarn.executor;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checks that each column of an Arrow IPC record batch declares as many nulls as its validity
 * bitmap holds. Arrow's format requires it, and readers differ when it does not hold: pyarrow
 * believes the declared count (a column declaring three nulls over a bitmap of none drops every
 * value in {@code drop_null}), while DuckDB and Arrow Java read the bitmap. A batch read from
 * outside is checked before it is loaded, while its declared counts are still there to compare.
 */
public final class DeclaredNullCounts {
  private DeclaredNullCounts() {}

  /**
   * @param schema the schema the batch belongs to
   * @throws EngineException INVALID naming {@code what}, the column and both counts
   */
  public static void check(ArrowRecordBatch batch, Schema schema, String what) {
    if (batch.getBodyCompression().getCodec() != NoCompressionCodec.COMPRESSION_TYPE) {
      return; // compressed buffers: the loader decompresses them, and a bitmap cannot be read before
    }
    Iterator<ArrowFieldNode> nodes = batch.getNodes().iterator();
    Iterator<ArrowBuf> buffers = batch.getBuffers().iterator();
    List<Long> variadicCounts = batch.getVariadicBufferCounts(); // null in batches made without views
    Iterator<Long> variadic = variadicCounts == null ? Collections.emptyIterator() : variadicCounts.iterator();
    try {
      for (Field field : schema.getFields()) {
        walk(field, field.getName(), nodes, buffers, variadic);
      }
    } catch (IllegalArgumentException e) {
      throw new EngineException(EngineException.Reason.INVALID, what + " is not valid Arrow: " + e.getMessage(), e);
    }
  }

  /** @param path the column's name, with its parents' for a nested one ({@code s.a}) */
  private static void walk(Field field, String path, Iterator<ArrowFieldNode> nodes, Iterator<ArrowBuf> buffers,
      Iterator<Long> variadic) {
    if (!nodes.hasNext()) {
      return; // fewer nodes than fields: the loader refuses the batch
    }
    ArrowFieldNode node = nodes.next();
    // a dictionary-encoded column's batch holds its indices
    ArrowType type = field.getDictionary() != null ? field.getDictionary().getIndexType() : field.getType();
    List<BufferLayout> layouts = TypeLayout.getTypeLayout(type).getBufferLayouts();
    long count = layouts.size();
    if (type instanceof ArrowType.Utf8View || type instanceof ArrowType.BinaryView) {
      count += variadic.hasNext() ? variadic.next() : 0;
    }
    ArrowBuf validity = null;
    for (long i = 0; i < count && buffers.hasNext(); i++) {
      ArrowBuf buffer = buffers.next();
      if (i == 0 && layouts.get(0).getType() == BufferLayout.BufferType.VALIDITY) {
        validity = buffer;
      }
    }
    if (validity != null) {
      long nulls = nulls(validity, node.getLength());
      if (nulls >= 0 && nulls != node.getNullCount()) {
        throw new IllegalArgumentException("column " + path + " declares " + node.getNullCount()
            + " nulls but its validity bitmap holds " + nulls);
      }
    }
    for (Field child : field.getChildren()) {
      walk(child, path + "." + child.getName(), nodes, buffers, variadic);
    }
  }

  /**
   * The nulls among the first {@code length} bits of {@code bitmap}; 0 for no bitmap, which means
   * none are null; -1 when the bitmap is shorter than that (the layout check refuses it).
   */
  private static long nulls(ArrowBuf bitmap, int length) {
    if (bitmap.capacity() == 0) {
      return 0;
    }
    if (length < 0 || bitmap.capacity() < (length + 7L) / 8) {
      return -1;
    }
    return BitVectorHelper.getNullCount(bitmap, length);
  }
}
