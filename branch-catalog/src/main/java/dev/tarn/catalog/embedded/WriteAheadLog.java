package dev.tarn.catalog.embedded;

import dev.tarn.catalog.CatalogException;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;
import org.projectnessie.versioned.storage.rocksdb.RocksDBBackend;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The write-ahead log of the embedded catalog's RocksDB. Nessie writes to RocksDB with default
 * write options, which hand each write to the operating system but do not force it to disk: a
 * process kill loses nothing, a power loss can lose the last commits. {@link #sync} forces the log.
 *
 * <p>Nessie's backend keeps its database handle private and offers no option for synced writes,
 * so the handle is read from the backend's field once at startup; a Nessie upgrade that renames it
 * fails the server's start (and the catalog tests) with a message saying so, never silently.
 */
final class WriteAheadLog {
  private final RocksDB db;
  private final AtomicLong syncs = new AtomicLong();

  private WriteAheadLog(RocksDB db) {
    this.db = db;
  }

  static WriteAheadLog of(RocksDBBackend backend) {
    try {
      Field field = RocksDBBackend.class.getDeclaredField("db");
      field.setAccessible(true);
      Object db = field.get(backend);
      if (!(db instanceof RocksDB rocks)) {
        throw new IllegalStateException("the backend's database is " + db);
      }
      return new WriteAheadLog(rocks);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot reach the RocksDB handle of Nessie's backend to sync its"
          + " write-ahead log (has the Nessie version changed?): " + e, e);
    }
  }

  /** How many times the log was forced since the catalog opened. */
  long syncs() {
    return syncs.get();
  }

  /** Forces everything written so far to disk. */
  void sync() {
    try {
      db.flushWal(true);
      syncs.incrementAndGet();
    } catch (RocksDBException e) {
      throw new CatalogException("the catalog could not force its log to disk (" + e.getMessage()
          + "); the last change may not survive a power loss: check the disk of the catalog folder", e);
    }
  }
}
