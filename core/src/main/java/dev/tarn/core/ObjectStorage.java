package dev.tarn.core;

import dev.tarn.catalog.storage.S3Storage;
import java.nio.file.Path;

/**
 * A warehouse on S3-compatible object storage.
 *
 * @param warehouse {@code s3://bucket/prefix}: tables' metadata and data files
 * @param s3 endpoint, region, addressing and credentials
 * @param catalogDir the local directory of the embedded catalog's repository (RocksDB); unused
 *     with a Nessie server
 */
public record ObjectStorage(String warehouse, S3Storage.Options s3, Path catalogDir) {
  public ObjectStorage {
    warehouse = S3Storage.normalize(warehouse);
    catalogDir = catalogDir.toAbsolutePath().normalize();
  }
}
