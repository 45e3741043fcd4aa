package dev.tarn.catalog.remote;

import dev.tarn.catalog.CatalogException;
import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.catalog.nessie.NessieBranchCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.iceberg.io.FileIO;

/**
 * The branch catalog on a Nessie server ({@code --catalog-uri http://host:19120/api/v2}), through
 * the Nessie Java client over REST API v2. It behaves exactly like the embedded catalog: all of the
 * catalog's logic is {@link NessieBranchCatalog}'s, only the repository is elsewhere ({@link
 * RestVersionedStore}).
 *
 * <p>The server stores references, commits and content pointers ({@code IcebergTable} with the
 * metadata location, {@code Namespace}); Iceberg metadata and data files are written by Tarn
 * through its {@link FileIO} under the warehouse, which every Tarn server sharing the Nessie server
 * must see at the same location. Other engines pointed at the same Nessie server read Tarn's
 * tables.
 *
 * <p>Durability is the server's (its version store: RocksDB, a database...); Tarn keeps no state.
 * A commit whose connection breaks mid-request fails with {@link
 * dev.tarn.catalog.nessie.VersionedStore.OutcomeUnknown}: it may have landed, so its files stay.
 */
public final class NessieServerBranchCatalog extends NessieBranchCatalog {
  private final URI uri;

  private final FileIO ownedIo;

  private NessieServerBranchCatalog(RestVersionedStore store, FileIO io, String warehouse, FileIO ownedIo) {
    super(store, io, warehouse);
    this.uri = store.uri();
    this.ownedIo = ownedIo;
  }

  /**
   * Connects to the Nessie server at {@code apiV2Uri} with tables' files under {@code
   * warehouseLocation} (an object-store URI such as {@code s3://bucket/prefix}, or a directory),
   * read and written through {@code io}; the catalog closes {@code io} when it is closed.
   */
  public static NessieServerBranchCatalog connect(URI apiV2Uri, FileIO io, String warehouseLocation) {
    RestVersionedStore store = RestVersionedStore.connect(apiV2(apiV2Uri));
    try {
      NessieServerBranchCatalog catalog = new NessieServerBranchCatalog(store, io, warehouseLocation, io);
      catalog.initializeRepository();
      return catalog;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      if (ownedIo != null) {
        ownedIo.close();
      }
    }
  }

  /**
   * Connects to the Nessie server whose REST API v2 is at {@code apiV2Uri} (an address without a
   * path means {@code /api/v2}), with the files of the tables Tarn creates under {@code
   * <warehouse>/tables}, as in the embedded catalog (tables other engines create elsewhere in the
   * warehouse are read where they are). On a server whose default branch has no commit yet, commits schema {@code
   * public}; a server without branch {@code main} gets one.
   *
   * @throws CatalogException if the server cannot be reached ("cannot reach the Nessie server at
   *     ...; is it running?") or does not speak REST API v2 there
   */
  public static NessieServerBranchCatalog connect(URI apiV2Uri, Path warehouse) {
    URI uri = apiV2(apiV2Uri);
    Path root = warehouse.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the warehouse directory " + root, e);
    }
    RestVersionedStore store = RestVersionedStore.connect(uri);
    try {
      NessieServerBranchCatalog catalog =
          new NessieServerBranchCatalog(store, new LocalFileIO(), root.resolve(LOCAL_TABLES_FOLDER).toString(), null);
      catalog.initializeRepository();
      return catalog;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The REST API v2 address of a server address: {@code /api/v2} when no path is given. */
  static URI apiV2(URI given) {
    String scheme = given.getScheme() == null ? "" : given.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new CatalogException("the Nessie catalog URI must be an http(s) address such as"
          + " http://localhost:19120/api/v2, not " + given);
    }
    String path = given.getPath() == null ? "" : given.getPath();
    if (path.isEmpty() || path.equals("/")) {
      return given.resolve("/api/v2");
    }
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (trimmed.endsWith("/api/v1")) {
      throw new CatalogException("Tarn speaks Nessie's REST API v2: use "
          + given.resolve(trimmed.substring(0, trimmed.length() - 1) + "2") + " instead of "
          + given);
    }
    return given;
  }

  /** The server's REST API v2 address. */
  public URI serverUri() {
    return uri;
  }

  @Override
  public String toString() {
    return "Nessie server catalog at " + uri + " (warehouse " + warehouseLocation() + ")";
  }
}
