package dev.tarn.catalog.embedded;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.catalog.nessie.VersionStoreBranchCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.io.FileIO;
import org.projectnessie.versioned.storage.common.config.StoreConfig;
import org.projectnessie.versioned.storage.common.logic.Logics;
import org.projectnessie.versioned.storage.common.logic.RepositoryLogic;
import org.projectnessie.versioned.storage.common.persist.Persist;
import org.projectnessie.versioned.storage.rocksdb.RocksDBBackend;
import org.projectnessie.versioned.storage.rocksdb.RocksDBBackendConfig;
import org.projectnessie.versioned.storage.rocksdb.RocksDBBackendFactory;
import org.projectnessie.versioned.storage.versionstore.VersionStoreImpl;

/**
 * The branch catalog with Nessie's version store running in this process, persisted with RocksDB
 * under {@code <warehouse>/catalog/}; tables' Iceberg metadata and data files live under {@code
 * <warehouse>/<namespace>/<table>_<uuid>/}. No other process to start.
 *
 * <p>Durability: a commit is acknowledged only after RocksDB accepted the reference update (a
 * compare-and-swap) and its write-ahead log was forced to disk ({@link SyncedPersist}); the data
 * files, metadata files and manifests it names, and their folders, were forced to disk before. A
 * process kill or a power loss at any point therefore shows each commit either entirely or not at
 * all, and an acknowledged commit survives. Tarn keeps no state of its own besides those files. One process at a time may open a warehouse (RocksDB holds
 * a lock on the directory).
 */
public final class EmbeddedBranchCatalog extends VersionStoreBranchCatalog {

  private final WriteAheadLog log;

  private EmbeddedBranchCatalog(
      VersionStoreImpl store, FileIO io, String warehouse, WriteAheadLog log, Runnable onClose) {
    super(store, io, warehouse, onClose);
    this.log = log;
  }

  /** How many times the catalog forced its log to disk since it opened (one per change at least). */
  long logSyncs() {
    return log.syncs();
  }

  /**
   * Opens (creating on first use) the catalog of the warehouse directory {@code warehouse}: the
   * repository in {@code catalog/}, tables under {@code tables/} (apart, so that the engine can be
   * allowed to read table files without reaching the repository's).
   */
  public static EmbeddedBranchCatalog open(Path warehouse) {
    Path root = warehouse.toAbsolutePath().normalize();
    return open(root.resolve("catalog"), new LocalFileIO(), root.resolve(LOCAL_TABLES_FOLDER).toString(), () -> {});
  }

  /**
   * Opens (creating on first use) a catalog whose repository is in the local directory {@code
   * catalogDir} and whose tables live under {@code warehouseLocation} (an object-store URI such as
   * {@code s3://bucket/prefix}, or a directory), read and written through {@code io}. The catalog
   * closes {@code io} when it is closed.
   */
  public static EmbeddedBranchCatalog open(Path catalogDir, FileIO io, String warehouseLocation) {
    return open(catalogDir.toAbsolutePath().normalize(), io, warehouseLocation, io::close);
  }

  private static EmbeddedBranchCatalog open(Path dir, FileIO io, String root, Runnable closeIo) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the catalog directory " + dir, e);
    }
    RocksDBBackend backend;
    try {
      backend = new RocksDBBackendFactory()
          .buildBackend(RocksDBBackendConfig.builder().databasePath(dir).build());
      backend.setupSchema();
    } catch (RuntimeException e) {
      throw new CatalogException(
          "cannot open the catalog in " + dir + ": " + e.getMessage()
              + " (is another Tarn server using this warehouse?)", e);
    }
    try {
      WriteAheadLog log = WriteAheadLog.of(backend);
      Persist persist = SyncedPersist.wrap(
          backend.createFactory().newPersist(StoreConfig.Adjustable.empty()), log::sync);
      RepositoryLogic repository = Logics.repositoryLogic(persist);
      if (!repository.repositoryExists()) {
        repository.initialize(BranchCatalog.DEFAULT_BRANCH);
      }
      EmbeddedBranchCatalog catalog = new EmbeddedBranchCatalog(
          new VersionStoreImpl(persist), io, root, log, () -> {
            try {
              backend.close();
            } finally {
              closeIo.run();
            }
          });
      catalog.initializeRepository();
      return catalog;
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }
}
