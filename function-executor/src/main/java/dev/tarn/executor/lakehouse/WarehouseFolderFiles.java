package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.storage.DurableFiles;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Data files in a warehouse folder on this machine, wherever inside it a table's metadata puts
 * them.
 *
 * <p>DuckDB may only touch a few folders of the warehouse ({@code DuckDbEngine}'s allowed
 * directories). Tables Tarn creates live under one of them, {@code tables/}, and are read and
 * written in place. Tables another engine wrote through the same catalog (Spark with a Nessie
 * catalog puts them at {@code <warehouse>/<namespace>/<table>/data/...}) are reached through a
 * hard link under the links folder, which DuckDB may read: no byte is copied, and DuckDB's own
 * file access is not widened. A file is served only if it is a Parquet file inside the warehouse,
 * outside Tarn's own folders (catalog, state, runs...), and not reached through a symbolic link:
 * a table's metadata can never make the engine read anything else. Where a hard link cannot be
 * made (another file system), the file is copied once instead.
 *
 * <p>Writes to such a table are staged under the links folder and linked to their location when
 * published, then forced to disk with their folder entries.
 */
public final class WarehouseFolderFiles implements DataFileStore {
  private final Path warehouse;
  private final Path inPlace;
  private final Path links;
  private final Set<String> tarnFolders;
  /** The warehouse folder's real path, resolved once (it exists from the first file read on). */
  private volatile Path realWarehouse;

  /**
   * @param warehouse the warehouse folder
   * @param inPlace the folder under it whose files DuckDB reads in place (Tarn's tables)
   * @param links the folder, readable by DuckDB, holding links to files elsewhere in the warehouse
   * @param tarnFolders names of the warehouse's top-level folders that hold Tarn's own files, never
   *     table data
   */
  public WarehouseFolderFiles(Path warehouse, Path inPlace, Path links, Set<String> tarnFolders) {
    this.warehouse = warehouse.toAbsolutePath().normalize();
    this.inPlace = inPlace.toAbsolutePath().normalize();
    this.links = links.toAbsolutePath().normalize();
    this.tarnFolders = Set.copyOf(tarnFolders);
  }

  @Override
  public String localPathFor(String location) {
    Path file = pathOf(location);
    if (file.startsWith(inPlace) && !LiteralPaths.isPattern(warehouse.relativize(file).toString())) {
      // DuckDB checks its allowed folders by name: a symbolic link below tables/ would lead it anywhere
      requireServable(file, location);
      return file.toString();
    }
    Path link = linkFor(file, location);
    if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
      requireServable(file, location);
      link(file, link, location);
    }
    // Checked every time, not only when made: the file may have been swapped for a symbolic link
    // between the check and the link, or something with access to the warehouse put an entry there.
    if (!isServable(link)) {
      deleteQuietly(link);
      throw refused(location, "it is not a regular file or is reached through a symbolic link");
    }
    return link.toString();
  }

  @Override
  public String locationOf(String localPath) {
    Path p = Path.of(localPath).toAbsolutePath().normalize();
    if (!p.startsWith(links)) {
      return localPath;
    }
    Path location = warehouse;
    for (Path name : links.relativize(p)) {
      location = location.resolve(LiteralPaths.unescape(name.toString()));
    }
    return location.toString();
  }

  @Override
  public Path stagingDirectory(String directoryLocation) {
    Path dir = pathOf(directoryLocation);
    Path staging = dir.startsWith(inPlace) ? dir : linkFor(dir, directoryLocation);
    try {
      DurableFiles.createDirectories(staging);
      // DuckDB writes there: a symbolic link on the way would take the write out of the warehouse
      requireNoSymbolicLinks(staging, directoryLocation);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + staging + ": " + e.getMessage(), e);
    }
    return staging;
  }

  /**
   * Forces the written file and its folder entry to disk; a file staged for a location outside
   * the in-place folder is first linked there. The commit naming it follows, so it can never
   * outlive the file in a power loss.
   */
  @Override
  public void publish(String localPath, String location) {
    Path staged = Path.of(localPath).toAbsolutePath().normalize();
    Path target = pathOf(location);
    Path expected = target.startsWith(inPlace) ? target : linkFor(target, location);
    if (!expected.equals(staged)) {
      throw new IllegalStateException(localPath + " is not the staging path of " + location);
    }
    try {
      if (!staged.equals(target)) {
        DurableFiles.createDirectories(target.getParent());
        requireNoSymbolicLinks(target.getParent(), location);
        linkNew(staged, target, location);
      }
      DurableFiles.forceFileAndName(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot force the data file " + target + " to disk: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String location) {
    try {
      Path file = pathOf(location);
      if (!file.startsWith(inPlace) || LiteralPaths.isPattern(warehouse.relativize(file).toString())) {
        Files.deleteIfExists(linkFor(file, location));
        requireNoSymbolicLinks(file.getParent(), location);
      }
      Files.deleteIfExists(file);
    } catch (IOException | RuntimeException ignored) {
      // an orphan file is harmless: it is not part of any table
    }
  }

  @Override
  public boolean remote() {
    return false;
  }

  /** The normalized local path of a location (an absolute path or a {@code file:} URI) inside the warehouse. */
  private Path pathOf(String location) {
    Path p = Path.of(LocalDataFiles.path(location)).toAbsolutePath().normalize();
    if (!p.startsWith(warehouse) || p.equals(warehouse)) {
      throw new EngineException(Reason.INVALID, "the data file " + location
          + " is outside the warehouse " + warehouse + "; this server reads only files inside it");
    }
    return p;
  }

  private Path linkFor(Path file, String location) {
    Path relative = warehouse.relativize(file);
    if (tarnFolders.contains(relative.getName(0).toString())) {
      throw refused(location, "it is inside the server's own folder " + warehouse.resolve(relative.getName(0)));
    }
    // the engine reads the link's path as a glob pattern: * ? [ are encoded so it names one file
    Path link = links;
    for (Path name : relative) {
      link = link.resolve(LiteralPaths.escape(name.toString()));
    }
    return link;
  }

  /** A regular Parquet file, reached without symbolic links, inside the warehouse. */
  private void requireServable(Path file, String location) {
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      throw refused(location, "it is not a Parquet file");
    }
    try {
      if (!reachedDirectly(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw refused(location, "it is not a regular file or is reached through a symbolic link");
      }
    } catch (IOException e) {
      throw new EngineException(Reason.INVALID, "cannot read the data file " + location + ": it is missing ("
          + e.getMessage() + ")", e);
    }
  }

  /** Whether {@code p} is a regular file reached without a symbolic link below the warehouse; false if missing. */
  private boolean isServable(Path p) {
    try {
      return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && reachedDirectly(p);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether the existing {@code p} inside the warehouse is reached without a symbolic link below the
   * warehouse folder (the warehouse folder itself may be reached through one).
   */
  private boolean reachedDirectly(Path p) throws IOException {
    Path real = realWarehouse;
    if (real == null) {
      real = warehouse.toRealPath();
      realWarehouse = real;
    }
    return p.toRealPath().equals(real.resolve(warehouse.relativize(p)));
  }

  /** The folder, which exists, is inside the warehouse without a symbolic link on the way. */
  private void requireNoSymbolicLinks(Path folder, String location) throws IOException {
    if (!reachedDirectly(folder)) {
      throw refused(location, "its folder " + folder + " is reached through a symbolic link");
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover link under the links folder is refused again at the next read
    }
  }

  private static EngineException refused(String location, String why) {
    return new EngineException(Reason.INVALID, "the data file " + location + " cannot be read: " + why);
  }

  /**
   * Makes {@code to} name the bytes of {@code from}: a hard link, or where the file system cannot,
   * a copy under a temporary name moved into place. Another thread having made it first is fine.
   */
  private static void link(Path from, Path to, String location) {
    try {
      Files.createDirectories(to.getParent());
      try {
        Files.createLink(to, from);
      } catch (FileAlreadyExistsException e) {
        // made by a concurrent reader: the same immutable bytes
      } catch (UnsupportedOperationException | IOException e) {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".part-" + UUID.randomUUID());
        Files.copy(from, tmp);
        try {
          Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException moved) {
          Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new EngineException(Reason.INVALID, "cannot make the data file " + location + " readable: "
          + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code to}, which must not exist yet, name the bytes Tarn wrote at {@code from}. A file
   * already there is someone else's: adopting it would commit bytes Tarn never wrote (and reads
   * differently through its own link), so the write is refused instead.
   */
  private static void linkNew(Path from, Path to, String location) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (FileAlreadyExistsException e) {
      throw new EngineException(Reason.INVALID, "cannot write the data file " + location
          + ": another file is already there", e);
    } catch (UnsupportedOperationException | IOException e) {
      Path tmp = to.resolveSibling("." + to.getFileName() + ".part-" + UUID.randomUUID());
      Files.copy(from, tmp);
      try {
        Files.move(tmp, to);
      } catch (FileAlreadyExistsException exists) {
        Files.deleteIfExists(tmp);
        throw new EngineException(Reason.INVALID, "cannot write the data file " + location
            + ": another file is already there", exists);
      }
    }
  }

  @Override
  public String toString() {
    return "data files in the warehouse folder " + warehouse;
  }
}
