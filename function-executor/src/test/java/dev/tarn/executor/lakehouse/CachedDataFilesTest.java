package dev.tarn.executor.lakehouse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.EngineException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cache of object-store data files, over Iceberg's in-memory FileIO. */
class CachedDataFilesTest {
  @TempDir
  Path temp;

  @Test
  void fetchesOnceAndMapsBothWays() throws Exception {
    InMemoryFileIO io = new InMemoryFileIO();
    byte[] bytes = "parquet bytes".getBytes(StandardCharsets.UTF_8);
    io.addFile("s3://bucket/wh/t_1/data/a.parquet", bytes);
    io.addFile("s3://bucket/wh/t_1/data/b.parquet", bytes);
    try (CachedDataFiles files = new CachedDataFiles(io, temp.resolve("cache"))) {
      String local = files.localPathFor("s3://bucket/wh/t_1/data/a.parquet");
      assertEquals(temp.resolve("cache/s3/bucket/wh/t_1/data/a.parquet").toString(), local);
      assertArrayEquals(bytes, Files.readAllBytes(Path.of(local)));
      assertEquals("s3://bucket/wh/t_1/data/a.parquet", files.locationOf(local));

      // immutable files: a cached copy is used as is, without asking the store again
      io.deleteFile("s3://bucket/wh/t_1/data/a.parquet");
      assertEquals(local, files.localPathFor("s3://bucket/wh/t_1/data/a.parquet"));

      List<String> both = files.localPathsFor(List.of("s3://bucket/wh/t_1/data/a.parquet",
          "s3://bucket/wh/t_1/data/b.parquet"));
      assertEquals(2, both.size());
      assertTrue(Files.exists(Path.of(both.get(1))));

      EngineException missing = assertThrows(EngineException.class,
          () -> files.localPathFor("s3://bucket/wh/t_1/data/gone.parquet"));
      assertTrue(missing.getMessage().contains("s3://bucket/wh/t_1/data/gone.parquet"), missing.getMessage());
      try (var listing = Files.list(Path.of(local).getParent())) {
        assertTrue(listing.noneMatch(p -> p.getFileName().toString().contains(".part-")), "no partial files left");
      }
    }
  }

  @Test
  void stagesPublishesAndDeletes() throws Exception {
    InMemoryFileIO io = new InMemoryFileIO();
    try (CachedDataFiles files = new CachedDataFiles(io, temp.resolve("cache"))) {
      Path dir = files.stagingDirectory("s3://bucket/wh/t_1/data/day=1");
      Path staged = dir.resolve("data_1.parquet");
      try (OutputStream out = Files.newOutputStream(staged)) {
        out.write(new byte[] {1, 2, 3});
      }
      String location = "s3://bucket/wh/t_1/data/day=1/data_1.parquet";
      files.publish(staged.toString(), location);
      assertTrue(io.fileExists(location));
      assertEquals(staged.toString(), files.localPathFor(location), "the written file stays cached");
      files.delete(location);
      assertFalse(io.fileExists(location));
      assertFalse(Files.exists(staged));
    }
  }

  @Test
  void refusesPathsThatCouldEscapeTheCache() {
    try (CachedDataFiles files = new CachedDataFiles(new InMemoryFileIO(), temp.resolve("cache"))) {
      for (String bad : List.of("s3://bucket/../x.parquet", "s3://bucket/a//b.parquet", "/local/x.parquet",
          "s3://bucket/./x.parquet")) {
        assertThrows(EngineException.class, () -> files.localPathFor(bad), bad);
      }
      assertThrows(IllegalArgumentException.class, () -> files.locationOf("/etc/passwd"));
    }
  }

  @Test
  void refusesFilesOutsideTheWarehouseWhateverMetadataSays() {
    try (CachedDataFiles files = new CachedDataFiles(new InMemoryFileIO(), temp.resolve("cache"), "s3://lake/wh")) {
      for (String outside : List.of("s3://other/wh/x.parquet", "s3://lake/wh2/x.parquet", "s3://lake/x.parquet")) {
        EngineException e = assertThrows(EngineException.class, () -> files.localPathFor(outside), outside);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("outside the warehouse"), e.getMessage());
      }
    }
  }
}
