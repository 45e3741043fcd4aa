package dev.tarn.executor.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's output file read in place, as DuckDB then reads it. The file is written by user code,
 * so damaged copies of a good file must each be read whole or refused, and never make DuckDB read
 * outside the file (which would end this test's JVM).
 */
class MappedOutputReaderTest {
  private final BufferAllocator allocator = new RootAllocator();
  @TempDir Path folder;

  @AfterEach
  void close() {
    assertEquals(0, allocator.getAllocatedMemory(), "every mapping was released");
    allocator.close();
  }

  /** Three batches of {@code id BIGINT, name VARCHAR}, 1,000 rows each. */
  private Path goodFile() throws IOException {
    Path file = folder.resolve("good.arrow");
    BigIntVector id = new BigIntVector("id", allocator);
    VarCharVector name = new VarCharVector("name", allocator);
    try (VectorSchemaRoot root = VectorSchemaRoot.of(id, name);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
      writer.start();
      for (int batch = 0; batch < 3; batch++) {
        id.allocateNew(1000);
        name.allocateNew();
        for (int i = 0; i < 1000; i++) {
          id.set(i, batch * 1000L + i);
          name.setSafe(i, ("name-" + (batch * 1000 + i)).getBytes(StandardCharsets.UTF_8));
        }
        root.setRowCount(1000);
        writer.writeBatch();
      }
      writer.end();
    }
    return file;
  }

  /** The file read in place and copied into DuckDB: {@code count(*):sum(id):sum(length(name))}, or the refusal. */
  private String intoDuckDb(Path file) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      java.util.Optional<ArrowReader> mapped;
      try {
        mapped = MappedOutputReader.open(file, allocator);
      } catch (IOException e) {
        return "refused: " + e.getMessage();
      }
      if (mapped.isEmpty()) {
        return "read by copy";
      }
      try (ArrowReader reader = mapped.get(); ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
        Data.exportArrayStream(allocator, reader, stream);
        c.unwrap(DuckDBConnection.class).registerArrowStream("output", stream);
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE t AS SELECT * FROM output");
        }
      } catch (IOException | SQLException | RuntimeException e) {
        return "refused: " + e.getMessage();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) || ':' || sum(id) || ':' || sum(length(name)) FROM t")) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  @Test
  void aGoodFileReachesDuckDbWhole() throws Exception {
    assertEquals("3000:4498500:" + (3000 * 5 + 10 * 1 + 90 * 2 + 900 * 3 + 2000 * 4), intoDuckDb(goodFile()));
  }

  @Test
  void damagedCopiesAreReadWholeOrRefusedNeverReadOutsideTheFile() throws Exception {
    byte[] good = Files.readAllBytes(goodFile());
    Random random = new Random(42);
    List<String> refusals = new ArrayList<>();
    for (int copy = 0; copy < 300; copy++) {
      byte[] damaged = good.clone();
      for (int k = 0; k < 1 + random.nextInt(4); k++) {
        int at = random.nextInt(damaged.length);
        damaged[at] = switch (random.nextInt(3)) {
          case 0 -> (byte) random.nextInt(256);
          case 1 -> (byte) 0x7f;
          default -> (byte) (damaged[at] ^ (1 << random.nextInt(8)));
        };
      }
      Path file = folder.resolve("damaged-" + copy + ".arrow");
      Files.write(file, damaged);
      String outcome = intoDuckDb(file);
      if (outcome.startsWith("refused")) {
        refusals.add(outcome);
      }
    }
    assertFalse(refusals.isEmpty(), "some damage must be found");
    assertTrue(refusals.stream().anyMatch(r -> r.contains("not valid Arrow")), refusals.toString());
  }

  @Test
  void aTruncatedFileIsRefusedByName() throws Exception {
    byte[] good = Files.readAllBytes(goodFile());
    Path file = folder.resolve("truncated.arrow");
    Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> MappedOutputReader.open(file, allocator));
    assertTrue(e.getMessage().contains("the model's output file is not valid Arrow"), e.getMessage());
  }
}
