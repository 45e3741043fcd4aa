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
    Path own = Files.writeString(Files.createDirectories(wh.resolve("tables/s/t_1/data")).resolve("a.parquet"), "PAR1");
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
  @Test
  void aLocationWithPatternCharactersNamesOneFileNeverAPattern() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    Path own = Files.writeString(Files.createDirectories(wh.resolve("tables/s/t_1/data")).resolve("a.parquet"), "PAR1");
    WarehouseFolderFiles store = files(wh);
    // DuckDB expands * ? [..] in the paths it reads: as given, these would name Tarn's table files
    for (String pattern : new String[] {wh.resolve("tables") + "/**/*.parquet", wh.resolve("tables/s/t_?/data/a.parquet").toString(),
        wh.resolve("tables/s/t_[1]/data/a.parquet").toString(), wh.resolve("ns") + "/../tables/*/*/data/*.parquet"}) {
      EngineException refused = assertThrows(EngineException.class, () -> store.localPathFor(pattern), pattern);
      assertTrue(refused.getMessage().contains(pattern), refused.getMessage());
    }
    // A file whose name really holds such characters (a partition value with *, a file another engine
    // named so) is read through a name the engine takes literally.
    Path data = Files.createDirectories(wh.resolve("ns/t/data"));
    Path starred = Files.writeString(data.resolve("*.parquet"), "PAR1");
    Path partition = Files.writeString(Files.createDirectories(wh.resolve("tables/s/t_1/data/name=a*b%2A")).resolve(
        "b.parquet"), "PAR1");
    for (Path literal : new Path[] {starred, partition}) {
      String local = store.localPathFor(literal.toString());
      assertFalse(local.contains("*"), local);
      assertEquals(Files.getAttribute(literal, "unix:ino"), Files.getAttribute(Path.of(local), "unix:ino"));
      assertEquals(literal.toString(), store.locationOf(local));
    }
    assertEquals(own.toString(), store.localPathFor(own.toString()), "plain names of Tarn's tables are read in place");
  }

  @Test
  void anEntryAlreadyInTheLinksFolderIsCheckedLikeAnyOther() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    Path outside = Files.writeString(temp.resolve("outside.parquet"), "PAR1");
    // something with file access to the warehouse plants a symbolic link where Tarn keeps its links
    Path planted = Files.createDirectories(wh.resolve("cache/linked/ns/t/data")).resolve("a.parquet");
    Files.createSymbolicLink(planted, outside);
    EngineException refused = assertThrows(EngineException.class,
        () -> files(wh).localPathFor(wh.resolve("ns/t/data/a.parquet").toString()));
    assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
  }

  @Test
  void aFileUnderTablesReachedThroughASymbolicLinkIsRefused() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("a.parquet"), "PAR1");
    Files.createDirectories(wh.resolve("tables/s"));
    Files.createSymbolicLink(wh.resolve("tables/s/t_1"), outside);
    String location = wh.resolve("tables/s/t_1/a.parquet").toString();
    EngineException refused = assertThrows(EngineException.class, () -> files(wh).localPathFor(location),
        "DuckDB's allowed folders are checked by name: a link under tables/ would take it outside");
    assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
  }

  @Test
  void publishingNeverAdoptsAnotherFileAlreadyAtTheLocation() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("wh"));
    Files.createDirectories(wh.resolve("ns/t/data"));
    Path target = Files.writeString(wh.resolve("ns/t/data/new.parquet"), "someone else's bytes");
    WarehouseFolderFiles store = files(wh);
    Path staged = Files.writeString(store.stagingDirectory(wh.resolve("ns/t/data").toString()).resolve("new.parquet"),
        "Tarn's bytes");
    // the commit would name a location whose bytes differ from what Tarn wrote and reads back
    assertThrows(RuntimeException.class, () -> store.publish(staged.toString(), target.toString()));
    assertEquals("someone else's bytes", Files.readString(target), "the other file is left alone");
  }

  @Test
  void fileUrisAreDecodedAsOtherEnginesWriteThem() throws Exception {
    Path wh = Files.createDirectories(temp.resolve("w h"));
    Path foreign = Files.createDirectories(wh.resolve("ns/t/data")).resolve("é b.parquet");
    Files.writeString(foreign, "PAR1");
    WarehouseFolderFiles store = files(wh);
    for (String location : new String[] {foreign.toUri().toString(), "file:" + foreign, "file://" + foreign,
        "file://localhost" + foreign.toUri().getRawPath()}) {
      assertEquals(wh.resolve("cache/linked/ns/t/data/é b.parquet").toString(), store.localPathFor(location), location);
    }
  }
}
