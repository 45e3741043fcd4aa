package dev.tarn.catalog.iceberg;

import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Table operations that keep commits in memory: Iceberg's update machinery (appends, overwrites,
 * schema updates) writes its manifests and hands the new metadata to {@link #commit}, which only
 * records it. The catalog then writes one metadata file per changed table and makes all of them
 * visible with a single Nessie commit.
 */
public final class StagingTableOperations implements TableOperations {
  private final FileIO io;
  private final TableMetadata base;
  private TableMetadata current;

  public StagingTableOperations(FileIO io, TableMetadata base) {
    this.io = io;
    this.base = base;
    this.current = base;
  }

  /** The metadata loaded from the catalog (or created in this change set). */
  public TableMetadata base() {
    return base;
  }

  @Override
  public TableMetadata current() {
    return current;
  }

  @Override
  public TableMetadata refresh() {
    return current;
  }

  @Override
  public void commit(TableMetadata expectedBase, TableMetadata metadata) {
    if (expectedBase != current) {
      throw new CommitFailedException("table changed twice at once within one change set");
    }
    current = metadata;
  }

  public boolean changed() {
    return current != base;
  }

  @Override
  public FileIO io() {
    return io;
  }

  @Override
  public String metadataFileLocation(String fileName) {
    return current.location() + "/metadata/" + fileName;
  }

  @Override
  public LocationProvider locationProvider() {
    return LocationProviders.locationsFor(current.location(), current.properties());
  }
}
