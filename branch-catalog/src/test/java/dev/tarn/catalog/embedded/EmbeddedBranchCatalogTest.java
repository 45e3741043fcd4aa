package dev.tarn.catalog.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tarn.catalog.At;
import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.BranchCatalogTests;
import dev.tarn.catalog.ChangeSet;
import dev.tarn.catalog.TableId;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog suite against the embedded backend: Nessie on RocksDB in a temporary warehouse. */
class EmbeddedBranchCatalogTest extends BranchCatalogTests {
  @TempDir Path warehouse;
  private EmbeddedBranchCatalog catalog;

  @BeforeEach
  void open() {
    catalog = EmbeddedBranchCatalog.open(warehouse);
  }

  @AfterEach
  void close() {
    if (catalog != null) {
      catalog.close();
    }
  }

  @Override
  protected BranchCatalog catalog() {
    return catalog;
  }

  @Override
  protected boolean supportsReopen() {
    return true;
  }

  @Override
  protected BranchCatalog reopen() {
    catalog.close();
    catalog = null;
    catalog = EmbeddedBranchCatalog.open(warehouse);
    return catalog;
  }

  /**
   * Acknowledged means durable: every commit and every branch or tag change forces RocksDB's
   * write-ahead log before it returns (power loss itself is argued from this order, see
   * SyncedPersist). Reads force nothing.
   */
  @Test
  void everyChangeForcesTheCatalogLogBeforeReturning() {
    long before = catalog.logSyncs();
    catalog.commit(ChangeSet.on(BranchCatalog.DEFAULT_BRANCH).createTable(TableId.of("public", "t"), SCHEMA));
    long afterCommit = catalog.logSyncs();
    assertTrue(afterCommit > before, "a commit forces the log");
    catalog.createBranch("dev", At.branch(BranchCatalog.DEFAULT_BRANCH));
    long afterBranch = catalog.logSyncs();
    assertTrue(afterBranch > afterCommit, "a new branch forces the log");
    catalog.listTables(At.branch("dev"), null);
    catalog.log(At.branch("dev"), 10);
    assertEquals(afterBranch, catalog.logSyncs(), "reads force nothing");
    catalog.dropBranch("dev");
    assertTrue(catalog.logSyncs() > afterBranch, "dropping a branch forces the log");
  }
}
