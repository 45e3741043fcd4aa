package dev.tarn.executor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

/** A record batch's declared null counts against its validity bitmaps, top-level and nested. */
class DeclaredNullCountsTest {

  /** Three rows: n = [1, null, 3], s = {a: [null, "b", "c"]}; nodes in order n, s, s.a. */
  private static VectorSchemaRoot table(BufferAllocator allocator) {
    BigIntVector n = new BigIntVector("n", allocator);
    n.allocateNew(3);
    n.set(0, 1);
    n.setNull(1);
    n.set(2, 3);
    n.setValueCount(3);
    StructVector s = StructVector.empty("s", allocator);
    VarCharVector a = s.addOrGet("a", FieldType.nullable(new ArrowType.Utf8()), VarCharVector.class);
    a.allocateNew(3);
    a.setNull(0);
    a.setSafe(1, "b".getBytes());
    a.setSafe(2, "c".getBytes());
    a.setValueCount(3);
    for (int i = 0; i < 3; i++) {
      s.setIndexDefined(i);
    }
    s.setValueCount(3);
    return new VectorSchemaRoot(List.of(n.getField(), s.getField()), List.of(n, s), 3);
  }

  /** The batch with node {@code index} declaring {@code nulls}. */
  private static ArrowRecordBatch declaring(ArrowRecordBatch batch, int index, long nulls) {
    List<ArrowFieldNode> nodes = new ArrayList<>(batch.getNodes());
    nodes.set(index, new ArrowFieldNode(nodes.get(index).getLength(), nulls));
    return new ArrowRecordBatch(batch.getLength(), nodes, batch.getBuffers());
  }

  @Test
  void countsThatMatchTheirBitmapsPassAndOthersAreNamedWithTheirPath() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = table(allocator);
        ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
      assertEquals(List.of(1, 0, 1), batch.getNodes().stream().map(ArrowFieldNode::getNullCount).toList());
      assertDoesNotThrow(() -> DeclaredNullCounts.check(batch, root.getSchema(), "the upload"));

      try (ArrowRecordBatch top = declaring(batch, 0, 0)) {
        EngineException e = assertThrows(EngineException.class,
            () -> DeclaredNullCounts.check(top, root.getSchema(), "the upload"));
        assertEquals("the upload is not valid Arrow: column n declares 0 nulls but its validity bitmap holds 1",
            e.getMessage());
      }
      try (ArrowRecordBatch nested = declaring(batch, 2, 3)) {
        EngineException e = assertThrows(EngineException.class,
            () -> DeclaredNullCounts.check(nested, root.getSchema(), "the upload"));
        assertEquals("the upload is not valid Arrow: column s.a declares 3 nulls but its validity bitmap holds 1",
            e.getMessage());
      }
    }
  }
}
