package dev.tarn.executor.lakehouse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where DuckDB finds the bytes of data files, which it can only read and write on the local disk.
 * Data files are immutable once written (names are unique), so a local copy never goes stale.
 *
 * <ul>
 *   <li>Reads: {@link #localPathFor} gives a local path for a data file's location; {@link
 *       #locationOf} maps such a path back (DuckDB's {@code filename} column names local paths).
 *   <li>Writes: DuckDB writes into {@link #stagingDirectory} for the directory the files will
 *       live in; {@link #publish} makes each finished file available at its location; {@link
 *       #delete} removes a file that will not be committed.
 * </ul>
 *
 * <p>A warehouse folder on this machine is the zero-copy case ({@link #local()}): locations are
 * local paths. An object-store warehouse keeps local copies in a cache ({@link CachedDataFiles}).
 * Implementations are thread-safe.
 */
public interface DataFileStore {

  /** A local path DuckDB can read holding the file at {@code location}, fetched first if needed. */
  String localPathFor(String location);

  /** {@link #localPathFor} of each location, in order (an implementation may fetch in parallel). */
  default List<String> localPathsFor(List<String> locations) {
    List<String> out = new ArrayList<>(locations.size());
    for (String location : locations) {
      out.add(localPathFor(location));
    }
    return out;
  }

  /** The location whose local copy is {@code localPath}: the inverse of {@link #localPathFor}. */
  String locationOf(String localPath);

  /** The local directory (created) to write files that will live under {@code directoryLocation}. */
  Path stagingDirectory(String directoryLocation);

  /**
   * Makes the written local file {@code localPath} available at {@code location} durably, before
   * any commit names it: forced to disk with its folder entry for a local warehouse, a completed
   * upload for object storage.
   */
  void publish(String localPath, String location);

  /** Deletes the file at {@code location} and its local copy, ignoring files already gone. */
  void delete(String location);

  /** Whether files live elsewhere and are copied (false: locations are local paths). */
  boolean remote();

  /** The warehouse folder's own files, read and written in place. */
  static DataFileStore local() {
    return LocalDataFiles.INSTANCE;
  }
}
