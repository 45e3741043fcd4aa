package dev.tarn.executor.pipeline;

import dev.tarn.executor.DuckDbEngine;
import dev.tarn.executor.EngineException;
import dev.tarn.executor.EngineException.Reason;
import dev.tarn.executor.lakehouse.IcebergTypes;
import dev.tarn.executor.lakehouse.LakehouseViews;
import dev.tarn.executor.python.PythonModelRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The differential scan cache: the Arrow hand-off of data files that pipeline scans have read, kept
 * in shared memory so that a later scan overlapping an earlier one (the same files, a subset of the
 * columns) hands the cached files to its Python models without reading Parquet or exporting Arrow
 * again. One per server, shared by all runs.
 *
 * <p><b>The unit is a data file.</b> Data files are immutable and their locations unique, so a file's
 * rows never change; a snapshot is just a list of files. A fragment is an Arrow IPC file holding
 * every row of one data file with some of its columns, each named {@code f_<field id>} and read by
 * field id with the DuckDB type of the table's schema (as {@link LakehouseViews#selectSql} reads
 * them), which is what makes a renamed column the same column and a column the file predates NULL.
 * A lookup is a hit when the file's fragment has every requested field with the same type; a miss
 * writes a fragment with the union of the requested columns and those of the file's older fragment,
 * which it replaces. Files a later commit removed are not in that commit's plan, so are never
 * looked up; their fragments age out.
 *
 * <p><b>Why Arrow IPC files.</b> A Python model memory-maps its inputs from Arrow IPC files in
 * shared memory; a fragment is already in that form, so a hit costs a hard link, not a Parquet read,
 * an Arrow export and an IPC write (the DuckDB tables the cache used to hold still paid the last
 * two, and did not pay: benchmarks/README.md, B6). SQL models read Parquet as without the cache.
 *
 * <p><b>Leases.</b> A run takes a {@link Lease}; every fragment it uses is hard-linked into the
 * lease's folder, which the lease deletes when it closes. Evicting a fragment unlinks only the
 * cache's name, so a run never loses a file it was given, and no pin counting is needed. The
 * budget counts the cache's own names; files only runs still hold are freed when those runs end.
 *
 * <p><b>Budget.</b> Bytes of fragment files; beyond it the least recently used fragments are
 * evicted; a fragment larger than the whole budget is handed to its run but not kept. 0 turns the
 * cache off. Thread-safe: bookkeeping is guarded by this object, writing fragments happens outside
 * the lock, the files a scan missed are read together by one query ({@link FragmentFill}); two runs
 * missing the same file both write it and the later one's fragment replaces the earlier one's.
 *
 * <p>Only data files every row of which a scan's filter keeps may be handed over from a fragment
 * unfiltered ({@link FullyMatchedFiles}).
 */
public final class ScanCache implements AutoCloseable {
  /** The default budget: 2 GiB of shared memory. */
  public static final long DEFAULT_BUDGET_BYTES = 2L << 30;
  /** Columns of a fragment are named by field id, so renames do not change them. */
  static final String COLUMN_PREFIX = "f_";

  private final DuckDbEngine engine;
  private final long budgetBytes;
  /** This cache's folder (its own, so two caches on one machine never share names); null when off. */
  private final Path root;
  private final BufferAllocator allocator;
  /** Each data file's fragment by location, least recently used first. */
  private final LinkedHashMap<String, Fragment> fragments = new LinkedHashMap<>(16, 0.75f, true);
  private long usedBytes;
  private long nextFile;
  private long hits;
  private long misses;
  private boolean closed;

  /**
   * One cached data file: an Arrow IPC file with all its rows and some of its columns.
   *
   * @param columns field id to the column's {@link #shape}
   */
  private record Fragment(Path file, Map<Integer, String> columns, long rows, long bytes) {
    boolean covers(Map<Integer, String> needed) {
      return needed.entrySet().stream().allMatch(e -> e.getValue().equals(columns.get(e.getKey())));
    }
  }

  /**
   * A cache in shared memory ({@code /dev/shm} when the machine has it).
   *
   * @param engine the engine fragments are read with (the runs' engine)
   * @param budgetBytes the most the fragment files may hold; 0 turns the cache off
   */
  public ScanCache(DuckDbEngine engine, long budgetBytes) {
    this(engine, budgetBytes, PythonModelRunner.defaultScratchRoot().resolve("tarn-scan-cache"));
  }

  /** @param parent where the cache makes its folder; must be the file system model inputs are handed over on */
  public ScanCache(DuckDbEngine engine, long budgetBytes, Path parent) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("the scan cache budget must not be negative: " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
    if (budgetBytes == 0) {
      this.engine = null;
      this.root = null;
      this.allocator = null;
      return;
    }
    this.engine = engine;
    try {
      Files.createDirectories(parent);
      this.root = Files.createTempDirectory(parent, "cache-");
    } catch (IOException e) {
      throw new EngineException(Reason.INVALID, "cannot create the scan cache's folder under " + parent + ": "
          + e.getMessage(), e);
    }
    this.allocator = new RootAllocator();
  }

  /** A cache that holds nothing: every scan reads Parquet. */
  public static ScanCache off() {
    return new ScanCache(null, 0);
  }

  public boolean enabled() {
    return budgetBytes > 0;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** What the cache holds right now, and how often files were found in it. */
  public synchronized Stats stats() {
    return new Stats(fragments.size(), usedBytes, budgetBytes, hits, misses);
  }

  /**
   * @param fragments data files held
   * @param usedBytes the size of their fragment files
   * @param hits data files handed over from the cache
   * @param misses data files read from Parquet into a fragment
   */
  public record Stats(int fragments, long usedBytes, long budgetBytes, long hits, long misses) {}

  /**
   * A data file a scan takes whole.
   *
   * @param location the data file's location (what identifies it)
   * @param localPath where DuckDB reads it
   */
  public record Wanted(String location, String localPath) {}

  /** A reader's use of the cache (a pipeline run's): the files it was given stay readable until it closes. */
  public Lease lease() {
    return new Lease();
  }

  /**
   * One data file handed to a run.
   *
   * @param file an Arrow IPC file the run owns a name of: columns {@code f_<field id>}, every row of the data file
   * @param rows its rows
   * @param fromCache whether it was in the cache already (no Parquet was read)
   */
  public record CachedFile(Path file, long rows, boolean fromCache) {}

  /**
   * A file a scan wants that the cache did not hold.
   *
   * @param index its place in the scan's list
   * @param wanted the file
   * @param toRead the columns its new fragment will hold
   */
  private record Missed(int index, Wanted wanted, Schema toRead) {}

  /** The fragments one run was given; closing it deletes its names of them. Thread-safe. */
  public final class Lease implements AutoCloseable {
    private Path folder;
    private long nextLink;
    private boolean released;

    public boolean enabled() {
      return ScanCache.this.enabled();
    }

    /**
     * Every row of each data file with (at least) the fields of {@code columns}, answers in the
     * order asked: from the cache, or read from Parquet into it first. Files the cache holds are
     * handed over at once; the others are read together, by one DuckDB query for each set of
     * columns their fragments will hold (at most {@link FragmentFill#MAX_FILES_PER_QUERY} files a
     * query). A failed read fails the call, naming its file; files read before it stay in the cache.
     *
     * @param columns the fields needed, from the table's schema at the scan's snapshot
     * @param tableSchema that schema (older fragments' columns are kept only when it still has them)
     */
    public List<CachedFile> takeAll(List<Wanted> files, Schema columns, Schema tableSchema) {
      if (!enabled()) {
        throw new IllegalStateException("the scan cache is off");
      }
      CachedFile[] taken = new CachedFile[files.size()];
      Map<Integer, String> needed = typesOf(columns);
      // files whose fragments will hold the same columns are read by one query
      Map<Map<Integer, String>, List<Missed>> byColumns = new LinkedHashMap<>();
      for (int i = 0; i < files.size(); i++) {
        taken[i] = held(files.get(i).location(), needed);
        if (taken[i] == null) {
          Schema toRead = toRead(files.get(i), needed, tableSchema);
          byColumns.computeIfAbsent(typesOf(toRead), k -> new ArrayList<>()).add(new Missed(i, files.get(i), toRead));
        }
      }
      for (List<Missed> group : byColumns.values()) {
        for (int from = 0; from < group.size(); from += FragmentFill.MAX_FILES_PER_QUERY) {
          fill(group.subList(from, Math.min(group.size(), from + FragmentFill.MAX_FILES_PER_QUERY)), needed, taken);
        }
      }
      return List.of(taken);
    }

    /** The file from the cache when its fragment has the fields, else null. */
    private CachedFile held(String location, Map<Integer, String> needed) {
      synchronized (ScanCache.this) {
        checkOpen();
        Fragment f = fragments.get(location); // most recently used now
        if (f == null || !f.covers(needed)) {
          return null;
        }
        hits++;
        return new CachedFile(link(f.file()), f.rows(), true);
      }
    }

    /** The columns a new fragment of the file holds: those needed and those of its older fragment. */
    private Schema toRead(Wanted file, Map<Integer, String> needed, Schema tableSchema) {
      synchronized (ScanCache.this) {
        return union(needed, fragments.get(file.location()), tableSchema);
      }
    }

    /**
     * Reads files the cache did not hold, all with the same columns, into new fragments, which
     * replace their older ones; a file another run read meanwhile is taken from the cache instead.
     * When one query over several files fails, they are read again one by one: DuckDB's error for
     * a streamed read does not say which file it could not read, and the files before it are kept.
     */
    private void fill(List<Missed> group, Map<Integer, String> needed, CachedFile[] taken) {
      List<Missed> missing = new ArrayList<>();
      for (Missed m : group) {
        taken[m.index()] = held(m.wanted().location(), needed);
        if (taken[m.index()] == null) {
          missing.add(m);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        fillTogether(missing, taken);
      } catch (StepFailedException | UncheckedIOException | FragmentFill.OutOfFileOrder e) {
        if (missing.size() == 1) {
          throw e;
        }
        for (Missed m : missing) {
          fill(List.of(m), needed, taken);
        }
      }
    }

    private void fillTogether(List<Missed> files, CachedFile[] taken) {
      Schema toRead = files.get(0).toRead();
      List<Path> targets = new ArrayList<>();
      synchronized (ScanCache.this) {
        checkOpen();
        for (int k = 0; k < files.size(); k++) {
          targets.add(root.resolve("file-" + nextFile++ + ".arrow"));
        }
      }
      long[] rows = write(toRead, files.stream().map(Missed::wanted).toList(), targets);
      long[] bytes = new long[targets.size()];
      try {
        for (int k = 0; k < targets.size(); k++) {
          bytes[k] = size(targets.get(k));
        }
      } catch (RuntimeException e) {
        targets.forEach(ScanCache::deleteQuietly);
        throw e;
      }
      synchronized (ScanCache.this) {
        misses += files.size();
        for (int k = 0; k < files.size(); k++) {
          try {
            Path mine = link(targets.get(k));
            install(files.get(k).wanted().location(), new Fragment(targets.get(k), typesOf(toRead), rows[k], bytes[k]));
            taken[files.get(k).index()] = new CachedFile(mine, rows[k], false);
          } catch (RuntimeException e) {
            targets.subList(k, targets.size()).forEach(ScanCache::deleteQuietly);
            throw e;
          }
        }
      }
    }

    /** A new name for a cache file in this lease's folder (guarded by the cache). */
    private Path link(Path file) {
      if (released) {
        throw new IllegalStateException("the run's use of the scan cache has ended");
      }
      try {
        if (folder == null) {
          folder = Files.createTempDirectory(root, "lease-");
        }
        return Files.createLink(folder.resolve("part-" + nextLink++ + ".arrow"), file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot hand over a cached data file: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      Path mine;
      synchronized (ScanCache.this) {
        if (released) {
          return;
        }
        released = true;
        mine = folder;
      }
      if (mine != null) {
        deleteTree(mine);
      }
    }
  }

  /** The fields needed plus those the file's older fragment had that the schema still has with the same type. */
  private static Schema union(Map<Integer, String> needed, Fragment older, Schema tableSchema) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField field : tableSchema.columns()) {
      String type = shape(field.type());
      if (needed.containsKey(field.fieldId()) || (older != null && type.equals(older.columns().get(field.fieldId())))) {
        fields.add(Types.NestedField.optional(field.fieldId(), COLUMN_PREFIX + field.fieldId(), field.type()));
      }
    }
    return new Schema(fields);
  }

  /** Reads the data files with DuckDB, each into its target Arrow IPC file; returns their rows. */
  private long[] write(Schema columns, List<Wanted> files, List<Path> targets) {
    String which = files.size() == 1 ? "data file " + files.get(0).location()
        : files.size() + " data files (the first " + files.get(0).location() + ")";
    try {
      return FragmentFill.write(engine, allocator, columns, files.stream().map(Wanted::localPath).toList(), targets);
    } catch (SQLException e) {
      throw new StepFailedException("reading " + which + " failed: " + EngineMessages.of(e.getMessage()), e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the scan cache's copy of " + which + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Keeps a new fragment, evicting the least recently used ones to make room (guarded by this). One
   * larger than the budget is not kept: its run already has its own name of it.
   */
  private void install(String location, Fragment fragment) {
    Fragment replaced = fragments.remove(location);
    if (replaced != null) {
      evict(replaced);
    }
    if (closed || fragment.bytes() > budgetBytes) {
      deleteQuietly(fragment.file());
      return;
    }
    Iterator<Fragment> lru = fragments.values().iterator();
    while (usedBytes + fragment.bytes() > budgetBytes && lru.hasNext()) {
      Fragment old = lru.next();
      lru.remove();
      evict(old);
    }
    fragments.put(location, fragment);
    usedBytes += fragment.bytes();
  }

  /** Unlinks the cache's name of a fragment removed from {@link #fragments} (guarded by this). */
  private void evict(Fragment f) {
    usedBytes -= f.bytes();
    deleteQuietly(f.file());
  }

  private synchronized void checkOpen() {
    if (closed) {
      throw new EngineException(Reason.INVALID, "the engine is shutting down");
    }
  }

  private static Map<Integer, String> typesOf(Schema schema) {
    Map<Integer, String> types = new LinkedHashMap<>();
    for (Types.NestedField f : schema.columns()) {
      types.put(f.fieldId(), shape(f.type()));
    }
    return types;
  }

  /**
   * What a fragment's column must match to serve a scan: the DuckDB type it was read as and, for a
   * struct, list or map, the ids of its nested fields. A nested field dropped and added again under
   * the same name and type (another engine can) is a new field, whose values the old copy lacks.
   */
  static String shape(org.apache.iceberg.types.Type type) {
    String duckDb = IcebergTypes.toDuckDb(type);
    return type.isPrimitiveType() ? duckDb
        : duckDb + " ids " + new java.util.TreeSet<>(org.apache.iceberg.types.TypeUtil.getProjectedIds(type));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // shared memory is cleared at reboot; the budget no longer counts it
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ScanCache::deleteQuietly);
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** Deletes every fragment and every lease's folder: runs using the cache must have finished. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed || root == null) {
        closed = true;
        return;
      }
      closed = true;
      fragments.clear();
      usedBytes = 0;
    }
    deleteTree(root);
    allocator.close();
  }
}
