package dev.tarn.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FlightBatchesTest {
  @BeforeAll
  static void openArrowMemory() throws SQLException {
    JavaNioAccess.ensureOpen();
  }

  @Test
  void aBatchWhoseBuffersAreShorterThanItsRowsIsRefused() throws SQLException {
    try (BufferAllocator allocator = new RootAllocator(); BigIntVector column = new BigIntVector("n", allocator)) {
      // what a broken or hostile server could send: 1,000 rows, data for two
      try (ArrowBuf data = allocator.buffer(16)) {
        data.writerIndex(16);
        column.loadFieldBuffers(new ArrowFieldNode(1000, 0), List.of(allocator.getEmpty(), data));
      }
      try (VectorSchemaRoot batch = new VectorSchemaRoot(List.of(column.getField()), List.of(column), 1000)) {
        SQLException e = assertThrows(SQLException.class, () -> FlightBatches.requireWellFormed(batch));
        assertEquals("08S01", e.getSQLState());
        assertTrue(e.getMessage().contains("malformed result batch"), e.getMessage());

        column.allocateNew(1000);
        column.setValueCount(1000);
        batch.setRowCount(1000);
        FlightBatches.requireWellFormed(batch);
      }
    }
  }
}
