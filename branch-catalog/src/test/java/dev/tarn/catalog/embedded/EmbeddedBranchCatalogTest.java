package dev.tarn.catalog.embedded;

import dev.tarn.catalog.BranchCatalog;
import dev.tarn.catalog.BranchCatalogTests;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
}
