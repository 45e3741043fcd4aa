package dev.tarn.executor.lakehouse;

import dev.tarn.catalog.iceberg.LocalFileIO;
import dev.tarn.catalog.storage.DurableFiles;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Data files in a warehouse folder on this machine: locations are local paths, nothing is copied. */
final class LocalDataFiles implements DataFileStore {
  static final LocalDataFiles INSTANCE = new LocalDataFiles();

  private LocalDataFiles() {}

  @Override
  public String localPathFor(String location) {
    return path(location);
  }

  @Override
  public String locationOf(String localPath) {
    return localPath;
  }

  @Override
  public Path stagingDirectory(String directoryLocation) {
    Path dir = Path.of(path(directoryLocation));
    try {
      DurableFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  /**
   * The file is already in place; publishing forces it and its folder entry to disk, so the commit
   * that names it (which follows) can never outlive it in a power loss.
   */
  @Override
  public void publish(String localPath, String location) {
    if (!path(location).equals(localPath)) {
      throw new IllegalStateException("a local data file is written in place: " + localPath + " vs " + location);
    }
    try {
      DurableFiles.forceFileAndName(Path.of(localPath));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot force the data file " + localPath + " to disk: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String location) {
    try {
      Files.deleteIfExists(Path.of(path(location)));
    } catch (IOException | RuntimeException ignored) {
      // an orphan file is harmless: it is not part of any table
    }
  }

  @Override
  public boolean remote() {
    return false;
  }

  /** The local path of a location: an absolute path or a {@code file:} URI (see {@link LocalFileIO#localPath}). */
  static String path(String location) {
    if (location.startsWith("file:")) {
      return LocalFileIO.localPath(location);
    }
    if (location.contains("://")) {
      throw new EngineException(Reason.INVALID,
          "this server's warehouse is a local folder; it cannot use the data file " + location);
    }
    return location;
  }

  @Override
  public String toString() {
    return "local data files";
  }
}
