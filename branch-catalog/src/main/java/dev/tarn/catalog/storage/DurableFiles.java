package dev.tarn.catalog.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
  /** Threads helping one call of {@link #forceTogether}, beside the caller's own. */
  private static final int HELPERS_PER_CALL = 3;
  /**
   * Forces for every call (see {@link #forceTogether}), with at most eight helper threads at once,
   * ending after a few idle minutes: a force mostly waits for the disk, so they cost little CPU.
   */
  private static final SideBySide FORCING =
      new SideBySide("tarn-force-", 8, HELPERS_PER_CALL, Duration.ofMinutes(5));

  private DurableFiles() {}

  /**
   * A scope in which files written on the current thread through Tarn's local file IO are forced
   * together by {@link #forceAll}, not each as it is closed: a commit writes a manifest, a manifest
   * list and a metadata file into one folder, and forcing that folder once after its files costs
   * less than forcing it after each. Forcing happens before the catalog commit that names the
   * files, so the guarantee is the same. Files left unforced when the scope closes belong to a
   * commit that failed; an enclosing scope, if any, takes them over.
   */
  public static final class Deferred implements AutoCloseable {
    private static final ThreadLocal<Deferred> CURRENT = new ThreadLocal<>();

    private final Deferred outer;
    private final java.util.Set<Path> files = new java.util.LinkedHashSet<>();
    private final java.util.Set<Path> directories = new java.util.LinkedHashSet<>();

    private Deferred(Deferred outer) {
      this.outer = outer;
    }

    /** Starts a scope on the current thread; close it in a finally block. */
    public static Deferred begin() {
      Deferred scope = new Deferred(CURRENT.get());
      CURRENT.set(scope);
      return scope;
    }

    /** The current thread's scope, or null when files are forced as they are closed. */
    public static Deferred current() {
      return CURRENT.get();
    }

    /** Records a written file, and the folder naming it (null: none), to force later. */
    public void add(Path file, Path directory) {
      files.add(file);
      if (directory != null) {
        directories.add(directory);
      }
    }

    /** The files recorded and not yet forced, in the order they were closed. */
    public java.util.List<Path> pendingFiles() {
      return java.util.List.copyOf(files);
    }

    /** The folders naming them. */
    public java.util.List<Path> pendingDirectories() {
      return java.util.List.copyOf(directories);
    }

    /**
     * Forces every file recorded so far and each folder naming them, all at once (see {@link
     * #forceTogether}). A file deleted since it was written is skipped: nothing names it (Iceberg
     * deletes the manifests it merged away), and its folder is still forced.
     */
    public void forceAll() throws IOException {
      forceTogether(List.copyOf(files), List.copyOf(directories), true);
      files.clear();
      directories.clear();
    }

    @Override
    public void close() {
      CURRENT.set(outer);
      if (outer != null) {
        outer.files.addAll(files);
        outer.directories.addAll(directories);
      }
    }
  }

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

  /** Forces a file and the folder entry naming it; a missing file is an error. */
  public static void forceFileAndName(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    forceTogether(List.of(file), parent == null ? List.of() : List.of(parent), false);
  }

  /**
   * Forces files and folders at the same time and returns when all are on disk. The file system
   * commits what concurrent forces ask for in one journal write where it can: on ext4 five forces
   * took 0.6 ms this way against 1.0 ms one after the other (benchmarks/README.md, B3). Nothing is
   * ordered among them, and none needs to be: every one is done before the catalog commit that
   * names the files. The calling thread forces too, with up to {@value #HELPERS_PER_CALL} helper
   * threads taking the next file as each finishes, so one commit of thousands of files never
   * queues ahead of another's few ({@link SideBySide}). Forces already started finish even when
   * the caller is interrupted; the caller's own force then fails, and so does the call. After a
   * force fails no further one starts: the commit that needed them fails.
   *
   * @param mayBeDeleted whether a file missing now is skipped (deleted since it was written, so
   *     nothing names it) rather than an error
   * @throws IOException a force that failed, once the forces under way have ended
   */
  private static void forceTogether(List<Path> files, List<Path> directories, boolean mayBeDeleted)
      throws IOException {
    List<IoTask> forces = new ArrayList<>(files.size() + directories.size());
    for (Path file : files) {
      forces.add(() -> {
        try {
          forceFile(file);
        } catch (NoSuchFileException deleted) {
          if (!mayBeDeleted) {
            throw deleted;
          }
        }
      });
    }
    for (Path directory : directories) {
      forces.add(() -> forceDirectory(directory));
    }
    try {
      FORCING.run(forces.stream().map(IoTask::unchecked).toList());
    } catch (UncheckedIOException failed) {
      throw failed.getCause();
    }
  }

  @FunctionalInterface
  private interface IoTask {
    void run() throws IOException;

    default Runnable unchecked() {
      return () -> {
        try {
          run();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
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
