package dev.tarn.catalog.nessie;

import org.apache.iceberg.io.FileIO;
import org.projectnessie.versioned.VersionStore;

/**
 * The branch catalog over a Nessie {@link VersionStore} in this process (any Nessie storage
 * backend: RocksDB for the embedded catalog, in-memory for tests). All behaviour is {@link
 * NessieBranchCatalog}'s; this class only adapts the store ({@link InProcessVersionedStore}).
 */
public class VersionStoreBranchCatalog extends NessieBranchCatalog {

  /**
   * @param store the Nessie version store (its repository must be initialized)
   * @param io reads and writes Iceberg metadata
   * @param warehouse the location new tables go under, without a trailing slash
   * @param onClose releases the store's resources
   */
  public VersionStoreBranchCatalog(
      VersionStore store, FileIO io, String warehouse, Runnable onClose) {
    super(new InProcessVersionedStore(store, onClose), io, warehouse);
  }
}
