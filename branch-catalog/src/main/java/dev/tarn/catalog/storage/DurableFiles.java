package dev.tarn.catalog.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes local files survive a power loss, not only a process kill. Written bytes sit in the
 * operating system's page cache until forced to disk; a new file or folder also needs its
 * <em>name</em> forced, which lives in the parent folder. So a file is durable once the file itself
 * and the folder holding it were forced, and a new folder once the folder above it was.
 *
 * <p>Tarn calls these before the catalog commit that names the files (data files, Iceberg metadata
 * and manifests), so an acknowledged commit never points at bytes a power loss could take back.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Forces a file's bytes to disk. */
  public static void forceFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Forces a folder's entries (the names of the files and folders in it) to disk. Linux and macOS
   * allow this on a folder opened for reading; a platform that refuses it (Windows) has nothing to
   * force this way, so that refusal is ignored.
   */
  public static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (Files.isDirectory(directory) && isWindows()) {
        return;
      }
      throw e;
    }
  }

  /** Forces a file and the folder entry naming it. */
  public static void forceFileAndName(Path file) throws IOException {
    forceFile(file);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      forceDirectory(parent);
    }
  }

  /**
   * Creates a folder and any missing parents, forcing each new folder's name into its parent, so
   * that files later forced inside it cannot lose their folder to a power loss. (A folder found
   * existing is taken as durable: whoever created it forced it right after.)
   */
  public static Path createDirectories(Path directory) throws IOException {
    Path absolute = directory.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      return directory;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(absolute);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
      // another writer made it just now: force its name too rather than rely on that writer
    }
    if (parent != null) {
      forceDirectory(parent);
    }
    return directory;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
  }
}
