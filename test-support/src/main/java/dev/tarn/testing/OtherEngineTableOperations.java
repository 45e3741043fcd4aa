package dev.tarn.testing;

import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;

/**
 * How another engine's metastore catalog keeps an Iceberg table, for tests that play that engine:
 * each commit writes a new metadata file under the table's location through the FileIO, and the
 * newest file is the table (the test then registers it where it wants, e.g. a Nessie commit, or
 * takes its snapshots apart). Nothing is registered anywhere by this class.
 */
public final class OtherEngineTableOperations extends BaseMetastoreTableOperations {
  private final FileIO io;
  private String current;

  public OtherEngineTableOperations(FileIO io) {
    this.io = io;
  }

  @Override
  protected void doRefresh() {
    refreshFromMetadataLocation(current);
  }

  @Override
  protected void doCommit(TableMetadata base, TableMetadata metadata) {
    current = writeNewMetadataIfRequired(base == null, metadata);
  }

  @Override
  public FileIO io() {
    return io;
  }

  @Override
  protected String tableName() {
    return "another engine's table";
  }
}
