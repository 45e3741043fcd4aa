package dev.tarn.catalog.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.TableId;
import dev.tarn.catalog.embedded.EmbeddedBranchCatalog;
import dev.tarn.catalog.iceberg.LocalFileIO;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files forced together in a scope, and no scope left behind to keep later files from being forced. */
class DurableFilesTest {
  @TempDir Path dir;

  private static void write(LocalFileIO io, Path file) throws IOException {
    try (OutputStream out = io.newOutputFile(file.toString()).create()) {
      out.write(new byte[] {1, 2, 3});
    }
  }

  @Test
  void filesClosedInAScopeWaitForForceAllAndTheirFolderIsForcedOnce() throws IOException {
    LocalFileIO io = new LocalFileIO();
    Path a = dir.resolve("metadata/a.avro");
    Path b = dir.resolve("metadata/b.json");
    try (DurableFiles.Deferred scope = DurableFiles.Deferred.begin()) {
      assertSame(scope, DurableFiles.Deferred.current());
      write(io, a);
      write(io, b);
      assertEquals(List.of(a, b), scope.pendingFiles());
      assertEquals(List.of(a.toAbsolutePath().getParent()), scope.pendingDirectories());
      scope.forceAll();
      assertEquals(List.of(), scope.pendingFiles());
      assertEquals(List.of(), scope.pendingDirectories());
    }
    assertNull(DurableFiles.Deferred.current());
    assertEquals(3, Files.size(a));
  }

  @Test
  void aFileDeletedWithinTheScopeIsSkipped() throws IOException {
    LocalFileIO io = new LocalFileIO();
    Path merged = dir.resolve("metadata/merged-away.avro");
    try (DurableFiles.Deferred scope = DurableFiles.Deferred.begin()) {
      write(io, merged);
      Files.delete(merged);
      scope.forceAll();
      assertEquals(List.of(), scope.pendingFiles());
    }
  }

  @Test
  void anInnerScopeLeftUnforcedHandsItsFilesToTheOuterOne() throws IOException {
    LocalFileIO io = new LocalFileIO();
    Path a = dir.resolve("a");
    try (DurableFiles.Deferred outer = DurableFiles.Deferred.begin()) {
      try (DurableFiles.Deferred inner = DurableFiles.Deferred.begin()) {
        write(io, a);
        assertEquals(List.of(a), inner.pendingFiles());
      }
      assertSame(outer, DurableFiles.Deferred.current());
      assertEquals(List.of(a), outer.pendingFiles());
    }
    assertNull(DurableFiles.Deferred.current());
  }

  @Test
  void aCommitLeavesNoScopeOnItsThreadEvenWhenItFails() {
    try (EmbeddedBranchCatalog catalog = EmbeddedBranchCatalog.open(dir.resolve("lake"))) {
      Schema schema = new Schema(Types.NestedField.optional(1, "x", Types.IntegerType.get()));
      catalog.commit(ChangeSet.on("main").createNamespace("s", true)
          .createTable(TableId.of("s", "t"), schema, PartitionSpec.unpartitioned(), Map.of(), false));
      assertNull(DurableFiles.Deferred.current(), "later files on this thread are forced as they close");
      org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> catalog.commit(
          ChangeSet.on("main").createTable(TableId.of("s", "t"), schema, PartitionSpec.unpartitioned(), Map.of(), false)));
      assertNull(DurableFiles.Deferred.current());
    }
  }

  @Test
  void manyFilesOfAScopeAreForcedTogetherAndAMissingDataFileIsAnError() throws IOException {
    LocalFileIO io = new LocalFileIO();
    List<Path> written = new java.util.ArrayList<>();
    try (DurableFiles.Deferred scope = DurableFiles.Deferred.begin()) {
      for (int i = 0; i < 40; i++) {
        Path f = dir.resolve("metadata-" + (i % 3)).resolve("m" + i + ".avro");
        write(io, f);
        written.add(f);
      }
      Files.delete(written.get(17));
      assertEquals(3, scope.pendingDirectories().size());
      scope.forceAll();
      assertEquals(List.of(), scope.pendingFiles());
    }
    DurableFiles.forceFileAndName(written.get(0));

    // a data file must exist when it is published: its commit would name it
    Path gone = dir.resolve("data").resolve("gone.parquet");
    Files.createDirectories(gone.getParent());
    IOException e = assertThrows(IOException.class, () -> DurableFiles.forceFileAndName(gone));
    assertTrue(e instanceof NoSuchFileException, e.toString());
    assertEquals(gone.toString(), e.getMessage(), "the failure names the file");
  }
}
