package dev.tarn.executor.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.executor.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse folder's data files: in place under tables/, linked from elsewhere, never beyond. */
class WarehouseFolderFilesTest {
  @TempDir
  Path temp;

  private WarehouseFolderFiles files(Path warehouse) {
    return new WarehouseFolderFiles(warehouse, warehouse.resolve("tables"), warehouse.resolve("cache/linked"),
        Set.of("catalog", "cache", "access"));
  }

  @Test
  void tarnsTablesAreReadInPlaceAndOtherFilesThroughAHardLink() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    WarehouseFolderFiles store = files(wh);
    Path own = wh.resolve("tables/s/t_1/data/a.parquet");
    assertEquals(own.toString(), store.localPathFor(own.toString()));

    Path foreign = Files.createDirectories(wh.resolve("ns/t/data")).resolve("b.parquet");
    Files.writeString(foreign, "PAR1");
    String local = store.localPathFor("file://" + foreign);
    assertEquals(wh.resolve("cache/linked/ns/t/data/b.parquet").toString(), local);
    assertEquals(Files.getAttribute(foreign, "unix:ino"), Files.getAttribute(Path.of(local), "unix:ino"));
    assertEquals(foreign.toString(), store.locationOf(local));
  }

  @Test
  void aWarehouseReachedThroughASymbolicLinkStillWorks() throws Exception {
    Path real = Files.createDirectories(temp.resolve("real-wh"));
    Path wh = Files.createSymbolicLink(temp.resolve("wh-link"), real);
    Path foreign = Files.createDirectories(wh.resolve("ns/t/data")).resolve("b.parquet");
    Files.writeString(foreign, "PAR1");
    assertTrue(Files.isRegularFile(Path.of(files(wh).localPathFor(foreign.toString()))));
  }

  @Test
  void writesAndDeletesNeverFollowASymbolicLinkOutOfTheWarehouse() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path victim = Files.writeString(outside.resolve("victim.parquet"), "keep me");
    Files.createDirectories(wh.resolve("ns/t"));
    Files.createSymbolicLink(wh.resolve("ns/t/data"), outside);
    WarehouseFolderFiles store = files(wh);

    Path staging = store.stagingDirectory(wh.resolve("ns/t/data").toString());
    Path written = Files.writeString(staging.resolve("new.parquet"), "PAR1");
    assertThrows(EngineException.class,
        () -> store.publish(written.toString(), wh.resolve("ns/t/data/new.parquet").toString()));
    assertFalse(Files.exists(outside.resolve("new.parquet")), "nothing written outside");

    store.delete(wh.resolve("ns/t/data/victim.parquet").toString());
    assertTrue(Files.exists(victim), "nothing deleted outside");
    EngineException read = assertThrows(EngineException.class,
        () -> store.localPathFor(wh.resolve("ns/t/data/victim.parquet").toString()));
    assertTrue(read.getMessage().contains("symbolic link"), read.getMessage());
  }

  @Test
  void serverFoldersOtherFormatsAndOutsidePathsAreRefused() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    Files.createDirectories(wh.resolve("access"));
    Files.writeString(wh.resolve("access/users.parquet"), "secret");
    Files.createDirectories(wh.resolve("ns"));
    Files.writeString(wh.resolve("ns/notes.txt"), "text");
    WarehouseFolderFiles store = files(wh);
    for (String bad : new String[] {wh.resolve("access/users.parquet").toString(), wh.resolve("ns/notes.txt").toString(),
        temp.resolve("elsewhere.parquet").toString(), wh.resolve("ns/../../elsewhere.parquet").toString(),
        "s3://bucket/x.parquet"}) {
      assertThrows(EngineException.class, () -> store.localPathFor(bad), bad);
    }
    assertFalse(Files.exists(wh.resolve("cache/linked/access")));
  }
}
