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
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
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
        SQLException e = assertThrows(SQLException.class, () -> FlightBatches.requireWellFormed(batch, null));
        assertEquals("08S01", e.getSQLState());
        assertTrue(e.getMessage().contains("malformed result batch"), e.getMessage());

        column.allocateNew(1000);
        column.setValueCount(1000);
        batch.setRowCount(1000);
        FlightBatches.requireWellFormed(batch, null);
      }
    }
  }

  @Test
  void aDictionaryIndexOutsideItsDictionaryIsRefused() throws SQLException {
    DictionaryEncoding encoding = new DictionaryEncoding(7, false, new ArrowType.Int(32, true));
    try (BufferAllocator allocator = new RootAllocator();
        VarCharVector words = new VarCharVector("words", allocator);
        IntVector column = new IntVector("mood", new FieldType(true, new ArrowType.Int(32, true), encoding), allocator)) {
      words.setSafe(0, "happy".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      words.setSafe(1, "sad".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      words.setValueCount(2);
      DictionaryProvider.MapDictionaryProvider dictionaries =
          new DictionaryProvider.MapDictionaryProvider(new Dictionary(words, encoding));
      column.setSafe(0, 1);
      column.setNull(1);
      column.setSafe(2, 0);
      column.setValueCount(3);
      try (VectorSchemaRoot batch = new VectorSchemaRoot(List.of(column.getField()), List.of(column), 3)) {
        FlightBatches.requireWellFormed(batch, dictionaries);

        // what a broken or hostile server could send: an index past the dictionary's end, or below 0
        for (int index : new int[] {2, -1}) {
          column.setSafe(2, index);
          SQLException e = assertThrows(SQLException.class, () -> FlightBatches.requireWellFormed(batch, dictionaries));
          assertEquals("08S01", e.getSQLState());
          assertTrue(e.getMessage().contains("column mood") && e.getMessage().contains("entry " + index), e.getMessage());
        }

        // ...or a dictionary it never sent
        SQLException missing = assertThrows(SQLException.class,
            () -> FlightBatches.requireWellFormed(batch, new DictionaryProvider.MapDictionaryProvider()));
        assertTrue(missing.getMessage().contains("dictionary 7 was never sent"), missing.getMessage());
      }
    }
  }
}
