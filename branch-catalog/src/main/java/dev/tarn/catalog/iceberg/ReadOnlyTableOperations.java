package dev.tarn.catalog.iceberg;

import dev.tarn.catalog.ReadOnlyReferenceException;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/** A table fixed at one commit of the catalog: reads work, commits are refused. */
public final class ReadOnlyTableOperations implements TableOperations {
  private final FileIO io;
  private final TableMetadata metadata;
  private final String where;

  public ReadOnlyTableOperations(FileIO io, TableMetadata metadata, String where) {
    this.io = io;
    this.metadata = metadata;
    this.where = where;
  }

  @Override
  public TableMetadata current() {
    return metadata;
  }

  @Override
  public TableMetadata refresh() {
    return metadata;
  }

  @Override
  public void commit(TableMetadata base, TableMetadata newMetadata) {
    throw new ReadOnlyReferenceException(
        "this table handle reads "
            + where
            + " and is read-only; write through the branch catalog's commit");
  }

  @Override
  public FileIO io() {
    return io;
  }

  @Override
  public String metadataFileLocation(String fileName) {
    return metadata.location() + "/metadata/" + fileName;
  }

  @Override
  public LocationProvider locationProvider() {
    return LocationProviders.locationsFor(metadata.location(), metadata.properties());
  }
}
