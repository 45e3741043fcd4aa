package dev.tarn.executor.lakehouse;

import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;

/**
 * Data files on object storage, with a local copy of each under a cache directory that DuckDB may
 * read: {@code s3://bucket/a/b.parquet} is cached at {@code <cache>/s3/bucket/a/b.parquet}, so the
 * mapping is a pure function both ways. Files are immutable, so a copy is valid forever; it is
 * fetched through the FileIO on first use (to a temporary name, then renamed, so a reader never
 * sees half a file) and kept. Written files are staged at their cache path, uploaded by {@link
 * #publish}, and stay cached.
 *
 * <p>The cache is not bounded yet: it grows with the data read and written (delete it while the
 * server is stopped to reclaim space).
 */
public final class CachedDataFiles implements DataFileStore, AutoCloseable {
  private static final int FETCH_THREADS = 8;

  private final FileIO io;
  private final Path root;
  /** Locations outside it are refused; empty: any location. */
  private final String warehousePrefix;
  private final ExecutorService fetchers;

  /**
   * @param io reads and writes the files at their locations
   * @param cacheRoot the local directory holding copies (created); must be inside the engine's
   *     allowed directory
   */
  public CachedDataFiles(FileIO io, Path cacheRoot) {
    this(io, cacheRoot, "");
  }

  /**
   * @param io reads and writes the files at their locations
   * @param cacheRoot the local directory holding copies (created); must be inside the engine's
   *     allowed directory
   * @param warehouse the warehouse location ({@code s3://bucket/prefix}): a data file elsewhere is
   *     refused, whatever a table's metadata says, so the server's credentials never fetch it
   */
  public CachedDataFiles(FileIO io, Path cacheRoot, String warehouse) {
    this.io = io;
    this.warehousePrefix = warehouse.isEmpty() || warehouse.endsWith("/") ? warehouse : warehouse + "/";
    this.root = cacheRoot.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data file cache " + root + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    this.fetchers = Executors.newFixedThreadPool(FETCH_THREADS, r -> {
      Thread t = new Thread(r, "tarn-fetch-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The cache directory. */
  public Path root() {
    return root;
  }

  @Override
  public String localPathFor(String location) {
    Path local = cachePath(location);
    if (!Files.exists(local)) {
      fetch(location, local);
    }
    return local.toString();
  }

  /** Local paths for many files, fetching the missing ones in parallel. */
  @Override
  public List<String> localPathsFor(List<String> locations) {
    List<String> out = new ArrayList<>(locations.size());
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    for (String location : locations) {
      Path local = cachePath(location);
      out.add(local.toString());
      if (!Files.exists(local)) {
        pending.add(CompletableFuture.runAsync(() -> fetch(location, local), fetchers));
      }
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    return out;
  }

  @Override
  public String locationOf(String localPath) {
    Path p = Path.of(localPath).toAbsolutePath().normalize();
    if (!p.startsWith(root) || p.getNameCount() < root.getNameCount() + 3) {
      throw new IllegalArgumentException(localPath + " is not a cached data file under " + root);
    }
    Path rel = root.relativize(p);
    StringBuilder key = new StringBuilder();
    for (int i = 2; i < rel.getNameCount(); i++) {
      key.append('/').append(LiteralPaths.unescape(rel.getName(i).toString()));
    }
    return rel.getName(0) + "://" + rel.getName(1) + key;
  }

  @Override
  public Path stagingDirectory(String directoryLocation) {
    Path dir = cachePath(directoryLocation);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the staging directory " + dir + ": " + e.getMessage(), e);
    }
    return dir;
  }

  @Override
  public void publish(String localPath, String location) {
    Path local = Path.of(localPath);
    if (!cachePath(location).equals(local.toAbsolutePath().normalize())) {
      throw new IllegalStateException(localPath + " is not the staging path of " + location);
    }
    try (InputStream in = Files.newInputStream(local);
        OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      in.transferTo(out);
    } catch (IOException | RuntimeException e) {
      throw new EngineException(Reason.INVALID, "cannot upload the data file " + location + ": "
          + DataFileWriter.firstLine(e.getMessage()), e);
    }
  }

  @Override
  public void delete(String location) {
    try {
      io.deleteFile(location);
    } catch (RuntimeException ignored) {
      // an orphan object is harmless: no commit references it
    }
    try {
      Files.deleteIfExists(cachePath(location));
    } catch (IOException | RuntimeException ignored) {
      // same for a stale local copy
    }
  }

  @Override
  public boolean remote() {
    return true;
  }

  /** {@code scheme://bucket/key} to {@code <root>/scheme/bucket/key}, refusing anything ambiguous. */
  Path cachePath(String location) {
    if (!location.startsWith(warehousePrefix)) {
      throw new EngineException(Reason.INVALID, "the data file " + location + " is outside the warehouse "
          + warehousePrefix + "; this server reads only files inside it");
    }
    int sep = location.indexOf("://");
    if (sep <= 0) {
      throw new EngineException(Reason.INVALID, "this server's warehouse is on object storage; it cannot use the"
          + " local file " + location);
    }
    String scheme = location.substring(0, sep);
    String rest = location.substring(sep + 3);
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String[] segments = rest.split("/", -1);
    if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") || segments.length == 0) {
      throw new EngineException(Reason.INVALID, "not a data file location: " + location);
    }
    Path p = root.resolve(scheme);
    for (String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) {
        throw new EngineException(Reason.INVALID, "cannot cache the data file " + location
            + ": its path has an empty, '.' or '..' segment");
      }
      // the engine reads this path as a glob pattern: * ? [ are encoded so it names this file only
      p = p.resolve(LiteralPaths.escape(s));
    }
    return p;
  }

  private void fetch(String location, Path local) {
    Path tmp = local.resolveSibling("." + local.getFileName() + ".part-" + UUID.randomUUID());
    try {
      Files.createDirectories(local.getParent());
      InputFile file = io.newInputFile(location);
      try (InputStream in = file.newStream()) {
        Files.copy(in, tmp);
      }
      try {
        Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, local, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (NotFoundException e) {
      throw new EngineException(Reason.NOT_FOUND, "the data file " + location
          + " is missing from the object store (deleted by someone else?)", e);
    } catch (IOException | RuntimeException e) {
      throw new EngineException(Reason.INVALID, "cannot fetch the data file " + location + ": "
          + DataFileWriter.firstLine(e.getMessage()), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a leftover temporary file is never read
      }
    }
  }

  @Override
  public void close() {
    fetchers.shutdownNow();
  }

  @Override
  public String toString() {
    return "data files cached in " + root;
  }
}
